package dev.voxgate.server.jobs;

import dev.voxgate.audio.decode.AudioProbe;
import dev.voxgate.jobs.JobDatabaseException;
import dev.voxgate.jobs.JobRecord;
import dev.voxgate.jobs.JobRequest;
import dev.voxgate.jobs.JobStatus;
import dev.voxgate.jobs.JobsConfig;
import dev.voxgate.jobs.Page;
import dev.voxgate.jobs.ResultFormat;
import dev.voxgate.jobs.TranscriptionJobs;
import dev.voxgate.jobs.storage.SpoolFullException;
import dev.voxgate.server.config.UploadConfig;
import dev.voxgate.server.engine.EngineSelection;
import dev.voxgate.server.engine.EngineSelector;
import dev.voxgate.server.error.ApiError;
import dev.voxgate.server.error.ApiException;
import dev.voxgate.server.error.ClientText;
import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.error.HttpErrorMapper;
import dev.voxgate.server.files.FileTranscription;
import dev.voxgate.server.guard.Caller;
import dev.voxgate.server.upload.Upload;
import dev.voxgate.server.upload.UploadException;
import dev.voxgate.server.upload.UploadReceiver;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The batch job API: {@code POST /api/jobs} (multipart upload), {@code GET /api/jobs},
 * {@code GET /api/jobs/{id}}, {@code GET /api/jobs/{id}/transcript.{txt,json,srt,vtt}},
 * {@code DELETE /api/jobs/{id}} (with {@code ?purge=true}: delete a finished job), {@code GET /api/jobs/{id}/audio}
 * (the upload, while it is kept) and {@code GET /api/upload_limits}, over {@code voxgate-jobs}'
 * {@link TranscriptionJobs}. Errors are {@code {"error":{"code","message"}}} like the rest of the server's
 * HTTP API; a job database that does not answer gives 503.
 *
 * <p>Jobs belong to the API key that submitted them ({@link Caller#owner()}): another key's job is
 * answered with the same 404 as a job that does not exist, and is not listed. A server running open
 * (no authentication) shows every job to everyone.
 */
public final class JobRoutes {
    private static final Logger log = LoggerFactory.getLogger(JobRoutes.class);
    private static final int MAX_PAGE_SIZE = 100;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final TranscriptionJobs jobs;
    private final UploadReceiver uploads;
    private final EngineSelector selector;
    private final FileTranscription files;
    private final JobsConfig config;

    /** @param config the job back end's settings, for the retention periods {@code GET /api/upload_limits} states */
    public JobRoutes(TranscriptionJobs jobs, UploadReceiver uploads, EngineSelector selector, FileTranscription files,
            JobsConfig config) {
        this.jobs = jobs;
        this.uploads = uploads;
        this.selector = selector;
        this.files = files;
        this.config = config;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/upload_limits", this::limits);
        routes.post("/api/jobs", guarded(this::submit));
        routes.get("/api/jobs", guarded(this::list));
        routes.get("/api/jobs/{id}", guarded(ctx -> job(ctx).ifPresent(j -> ctx.json(view(j)))));
        routes.get("/api/jobs/{id}/{file}", guarded(this::file));
        routes.delete("/api/jobs/{id}", guarded(this::cancelOrPurge));
    }

    /** What a client (the browser page) checks before uploading, so it can refuse in words without sending. */
    private void limits(Context ctx) {
        UploadConfig u = uploads.config();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("maxFileSizeMb", u.maxFileBytes() / (1024 * 1024));
        out.put("maxFileSizeBytes", u.maxFileBytes());
        // In the order of the default list (the set itself has none), any others after them by name.
        List<String> known = Arrays.asList(UploadConfig.DEFAULT_FORMATS.split(","));
        out.put("allowedFormats", u.allowedFormats().stream()
                .sorted(Comparator.comparingInt((String f) -> known.contains(f) ? known.indexOf(f) : known.size())
                        .thenComparing(Comparator.naturalOrder()))
                .toList());
        out.put("maxAudioMinutes", u.maxAudioMinutes());
        out.put("defaultEngine", selector.defaultId(EngineSelector.Use.FILE));
        out.put("uploadRetentionDays", config.uploadRetentionDays());
        out.put("transcriptRetentionDays", config.transcriptRetentionDays());
        ctx.json(out);
    }

    /** The job database failing is the server's trouble, not the client's: 503, details in the log only. */
    private static Handler guarded(Handler h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (JobDatabaseException e) {
                log.warn("{} {}: job database error: {}", ctx.method(), ctx.path(), e.getMessage());
                error(ctx, ErrorCode.JOB_DATABASE_UNAVAILABLE, "the job database does not answer; try again shortly");
            }
        };
    }

    private void submit(Context ctx) throws IOException {
        try (Upload upload = uploads.receive(ctx, "file")) {
            EngineSelection chosen = selector.validate(EngineSelector.Use.FILE, upload.field("engine").orElse(null),
                    upload.field("language").orElse(null));
            if (!(chosen instanceof EngineSelection.Selected s)) throw new ApiException(chosen.error("engine"));
            Set<ResultFormat> formats = formats(upload.field("formats").orElse(null));
            AudioProbe probe = files.probe(upload.file());
            JobRequest request = new JobRequest(s.id(), s.language(), formats, wordTimes(upload));
            JobRecord job = jobs.submit(upload.file(), upload.displayName(), probe, request, Caller.of(ctx).owner());
            ctx.status(201).header("Location", "/api/jobs/" + job.id()).json(view(job));
        } catch (UploadException e) {
            error(ctx, e.error());
        } catch (ApiException e) {
            error(ctx, e.error());
        } catch (SpoolFullException e) {
            // S3 is down and the spool cannot take the upload: 507, and nothing half-stored.
            error(ctx, ErrorCode.STORAGE_FULL, "the upload could not be kept: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(ctx, ErrorCode.SERVER_SHUTDOWN, "the server is shutting down; submit the job again");
        }
    }

    /** {@code word_timestamps}: {@code true} or {@code false} (the default). */
    private static boolean wordTimes(Upload upload) throws ApiException {
        String v = upload.field("word_timestamps").orElse("false").strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true" -> true;
            case "false", "" -> false;
            default -> throw new ApiException(ErrorCode.INVALID_PARAMETER, "word_timestamps",
                    "word_timestamps must be true or false, not '" + ClientText.clip(v, 32) + "'");
        };
    }

    private static Set<ResultFormat> formats(String requested) throws ApiException {
        if (requested == null || requested.isBlank()) return EnumSet.allOf(ResultFormat.class);
        Set<ResultFormat> out = EnumSet.noneOf(ResultFormat.class);
        for (String f : requested.split(",")) {
            String v = f.strip().toLowerCase(Locale.ROOT);
            if (v.isEmpty()) continue;
            Optional<ResultFormat> format = ResultFormat.parse(v);
            if (format.isEmpty()) {
                throw new ApiException(ErrorCode.INVALID_PARAMETER, "formats",
                        "formats: '" + f.strip() + "' is not one of txt, json, srt, vtt");
            }
            out.add(format.get());
        }
        if (out.isEmpty()) throw new ApiException(ErrorCode.INVALID_PARAMETER, "formats",
                "formats: name at least one of txt, json, srt, vtt");
        return out;
    }

    private void list(Context ctx) throws IOException {
        int page = intParam(ctx, "page", 1, 1, Integer.MAX_VALUE);
        int size = intParam(ctx, "size", 20, 1, MAX_PAGE_SIZE);
        if (ctx.statusCode() == 400) return;
        // The API counts pages from 1, voxgate-jobs from 0.
        Page<JobRecord> p = jobs.list(Caller.of(ctx).owner(), page - 1, size);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobs", p.items().stream().map(JobRoutes::view).toList());
        out.put("page", p.page() + 1);
        out.put("size", p.size());
        out.put("total", p.total());
        ctx.json(out);
    }

    private void file(Context ctx) throws IOException {
        if (ctx.pathParam("file").equals("audio")) audio(ctx);
        else transcript(ctx);
    }

    /**
     * The uploaded file as it was received, for playing it beside its transcript: 404 for no such job,
     * 410 {@code expired} once retention (or a cancel) deleted it.
     */
    private void audio(Context ctx) throws IOException {
        Optional<JobRecord> found = job(ctx);
        if (found.isEmpty()) return;
        Optional<TranscriptionJobs.StoredFile> upload = jobs.openUpload(found.get().id(), Caller.of(ctx).owner());
        if (upload.isEmpty()) {
            error(ctx, ErrorCode.EXPIRED, found.get().status() == JobStatus.CANCELLED
                    ? "the job was cancelled and its audio deleted"
                    : "the uploaded audio is no longer kept (UPLOAD_RETENTION_DAYS is "
                    + config.uploadRetentionDays() + ")");
            return;
        }
        TranscriptionJobs.StoredFile f = upload.get();
        ctx.header("Cache-Control", "private, no-store");
        // Javalin writes the stream and closes it.
        ctx.contentType(audioMediaType(f.format())).result(f.content());
    }

    /** The media type browsers expect for a format the decoder names; application/octet-stream for others. */
    static String audioMediaType(String format) {
        return switch (format == null ? "" : format) {
            case "mp3" -> "audio/mpeg";
            case "wav" -> "audio/wav";
            case "m4a" -> "audio/mp4";
            case "flac" -> "audio/flac";
            case "ogg", "opus" -> "audio/ogg";
            case "webm" -> "audio/webm";
            default -> "application/octet-stream";
        };
    }

    private void transcript(Context ctx) throws IOException {
        String file = ctx.pathParam("file");
        String extension = file.startsWith("transcript.") ? file.substring("transcript.".length()) : "";
        Optional<ResultFormat> wanted = ResultFormat.parse(extension)
                .filter(f -> f.extension().equals(extension)); // names are exact
        if (wanted.isEmpty()) {
            error(ctx, ErrorCode.NOT_FOUND, "no such file; transcripts are transcript.txt, .json, .srt and .vtt");
            return;
        }
        ResultFormat format = wanted.get();
        Optional<JobRecord> found = job(ctx);
        if (found.isEmpty()) return;
        JobRecord job = found.get();
        if (job.status() != JobStatus.SUCCEEDED) {
            error(ctx, ErrorCode.NOT_READY,
                    "the job is " + job.status().code() + "; transcripts exist once it has succeeded");
            return;
        }
        if (!job.request().formats().contains(format)) {
            error(ctx, ErrorCode.NOT_REQUESTED, "this job was not asked for " + format.extension()
                    + " (formats: " + String.join(",", formatNames(job)) + ")");
            return;
        }
        Optional<InputStream> in = jobs.openResult(job.id(), Caller.of(ctx).owner(), format.extension());
        if (in.isEmpty()) {
            error(ctx, ErrorCode.EXPIRED, "the transcript was deleted (TRANSCRIPT_RETENTION_DAYS)");
            return;
        }
        try (InputStream body = in.get()) {
            ctx.contentType(format.mediaType()).result(body.readAllBytes());
        }
    }

    /** {@code DELETE /api/jobs/{id}}: cancels; with {@code ?purge=true} deletes a finished job instead. */
    private void cancelOrPurge(Context ctx) throws IOException {
        String purge = ctx.queryParam("purge");
        if (purge == null || purge.equals("false")) {
            cancel(ctx);
        } else if (purge.equals("true")) {
            purge(ctx);
        } else {
            error(ctx, new ApiError(ErrorCode.INVALID_PARAMETER, "purge",
                    "purge must be true or false, not '" + ClientText.clip(purge, 32) + "'"));
        }
    }

    /** Deletes a finished job with its files: 204; 409 {@code not_ready} while it is queued or running. */
    private void purge(Context ctx) throws IOException {
        Optional<JobRecord> found = job(ctx);
        if (found.isEmpty()) return;
        JobRecord job = found.get();
        if (!job.status().isFinal()) {
            error(ctx, ErrorCode.NOT_READY, "the job is " + job.status().code()
                    + "; cancel it first (DELETE without purge), then delete it");
            return;
        }
        if (jobs.delete(job.id(), Caller.of(ctx).owner())) {
            ctx.status(204);
        } else if (jobs.find(job.id(), Caller.of(ctx).owner()).isEmpty()) {
            notFound(ctx, job.id().toString());
        } else {
            error(ctx, ErrorCode.NOT_READY, "the job changed while it was being deleted; try again");
        }
    }

    private void cancel(Context ctx) throws IOException {
        Optional<JobRecord> found = job(ctx);
        if (found.isEmpty()) return;
        JobRecord job = found.get();
        // voxgate-jobs' cancel deletes a finished job; this API refuses instead, so only unfinished ones get there.
        if (job.status().isFinal()) {
            alreadyFinished(ctx, job.status());
            return;
        }
        Optional<String> owner = Caller.of(ctx).owner();
        switch (jobs.cancel(job.id(), owner)) {
            case CANCELLED, STOPPING -> {
                // STOPPING: the row is cancelled already; the worker stops at its next progress report and deletes the
                // files.
                Optional<JobRecord> now = jobs.find(job.id(), owner);
                if (now.isPresent()) ctx.json(view(now.get()));
                else notFound(ctx, job.id().toString());
            }
            case ALREADY_CANCELLED -> alreadyFinished(ctx, JobStatus.CANCELLED);
            // It finished between the lookup and the cancel, and voxgate-jobs deleted it with its files.
            case DELETED -> error(ctx, ErrorCode.ALREADY_FINISHED,
                    "the job had just finished; it was deleted with its transcripts");
            case NOT_FOUND -> notFound(ctx, job.id().toString());
        }
    }

    private static void alreadyFinished(Context ctx, JobStatus status) {
        error(ctx, ErrorCode.ALREADY_FINISHED, "the job is already " + status.code() + "; nothing to cancel");
    }

    private static List<String> formatNames(JobRecord j) {
        return Arrays.stream(ResultFormat.values()).filter(j.request().formats()::contains).map(ResultFormat::extension)
                .toList();
    }

    /**
     * The job the path names, when the caller may see it; otherwise the 404 has been sent. Another key's
     * job gets the very answer of a job that does not exist, so ids cannot be probed.
     */
    private Optional<JobRecord> job(Context ctx) throws JobDatabaseException {
        Optional<UUID> id = id(ctx);
        if (id.isEmpty()) return Optional.empty();
        Optional<JobRecord> job = jobs.find(id.get(), Caller.of(ctx).owner());
        if (job.isEmpty()) notFound(ctx, id.get().toString());
        return job;
    }

    private static Optional<UUID> id(Context ctx) {
        String raw = ctx.pathParam("id");
        try {
            UUID id = UUID.fromString(raw);
            if (id.toString().equalsIgnoreCase(raw)) return Optional.of(id);
        } catch (IllegalArgumentException ignored) {
            // answered below
        }
        notFound(ctx, raw);
        return Optional.empty();
    }

    private static void notFound(Context ctx, String id) {
        error(ctx, ErrorCode.NOT_FOUND, "no job " + ClientText.clip(id, 64));
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        error(ctx, new ApiError(ErrorCode.INVALID_PARAMETER, name,
                name + " must be a whole number from " + min + " to " + max));
        return fallback;
    }

    static Map<String, Object> view(JobRecord j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id().toString());
        m.put("status", j.status().code());
        m.put("progress", j.progress());
        m.put("fileName", j.displayName());
        m.put("format", j.detectedFormat());
        m.put("sizeBytes", j.sizeBytes());
        m.put("audioSeconds", j.durationSeconds());
        m.put("engine", j.request().engine());
        m.put("language", j.request().language());
        m.put("formats", formatNames(j));
        m.put("wordTimestamps", j.request().wordTimes());
        m.put("createdAt", timestamp(j.createdAt()));
        m.put("startedAt", timestamp(j.startedAt()));
        m.put("finishedAt", timestamp(j.finishedAt()));
        m.put("attempts", j.attempts());
        if (j.errorCode() != null) m.put("error", Map.of("code", j.errorCode(), "message", errorMessage(j)));
        if (j.status() == JobStatus.SUCCEEDED) {
            Map<String, String> links = new LinkedHashMap<>();
            for (String f : formatNames(j)) links.put(f, "/api/jobs/" + j.id() + "/transcript." + f);
            m.put("transcripts", links);
        }
        return m;
    }

    /**
     * ISO-8601 UTC with exactly three fraction digits, in every reply: the instant a job was submitted
     * with has nanoseconds, the database's copy does not, and a client comparing the two must see one value.
     */
    static String timestamp(Instant t) {
        return t == null ? null : TIMESTAMP.format(t.truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * A failed job's message as a client may see it. A failure on the server's side (a bug, the disk,
     * the engine) was recorded with the exception's text, which the worker logged; the reply says so
     * instead of repeating it. A file's own problems keep their message, which is written for people.
     */
    static String errorMessage(JobRecord j) {
        ErrorCode.Kind kind = ErrorCode.of(j.errorCode()).map(ErrorCode::kind).orElse(null);
        if (kind == ErrorCode.Kind.SERVER_FAULT || kind == ErrorCode.Kind.UNAVAILABLE) {
            return "the job failed on the server's side (" + j.errorCode()
                    + "); the server's log has the details under job " + j.id()
                    + (j.status().isFinal() ? "" : ". It will be tried again");
        }
        return j.errorMessage() == null ? j.errorCode() : j.errorMessage();
    }

    private static void error(Context ctx, ErrorCode code, String message) {
        error(ctx, ApiError.of(code, message));
    }

    private static void error(Context ctx, ApiError e) {
        HttpErrorMapper.NATIVE.send(ctx, e);
    }
}
