package dev.voxgate.server.jobs;

import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.decode.AudioDecodeException;
import dev.voxgate.audio.decode.AudioProbe;
import dev.voxgate.server.HttpErrors;
import dev.voxgate.server.batch.BatchException;
import dev.voxgate.server.batch.BatchTranscriber;
import dev.voxgate.server.upload.Upload;
import dev.voxgate.server.upload.UploadException;
import dev.voxgate.server.upload.UploadReceiver;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The batch job API: {@code POST /api/jobs} (multipart upload), {@code GET /api/jobs},
 * {@code GET /api/jobs/{id}}, {@code GET /api/jobs/{id}/transcript.{txt,json,srt,vtt}},
 * {@code DELETE /api/jobs/{id}}. Errors are {@code {"error":{"code","message"}}} like the rest of
 * the server's HTTP API.
 */
public final class JobRoutes {
    private static final int MAX_PAGE_SIZE = 100;

    private final TranscriptionJobs jobs;
    private final UploadReceiver uploads;
    private final BatchTranscriber batch;

    public JobRoutes(TranscriptionJobs jobs, UploadReceiver uploads, BatchTranscriber batch) {
        this.jobs = jobs;
        this.uploads = uploads;
        this.batch = batch;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/jobs", this::submit);
        routes.get("/api/jobs", this::list);
        routes.get("/api/jobs/{id}", ctx -> job(ctx).ifPresent(j -> ctx.json(view(j))));
        routes.get("/api/jobs/{id}/{file}", this::transcript);
        routes.delete("/api/jobs/{id}", this::cancel);
    }

    private void submit(Context ctx) throws IOException {
        try (Upload upload = uploads.receive(ctx, "file")) {
            String engineId = upload.field("engine").orElse(null);
            if (engineId != null && !batch.isEngine(engineId)) {
                throw new BatchException.UnknownEngine(engineId, List.of(batch.defaultEngine()));
            }
            String language = upload.field("language").orElse(null);
            Optional<StreamingEngine> engine = engineNow(engineId);
            if (engine.isPresent()) language = batch.language(engine.get(), language);
            List<String> formats = formats(upload.field("formats").orElse(null));
            AudioProbe probe = batch.probe(upload.file());
            if (!probe.matchesAny(uploads.config().allowedFormats())) {
                throw new UploadException.UnsupportedMedia("this file is " + probe.format() + "; allowed formats are "
                        + String.join(", ", uploads.config().allowedFormats()) + " (ALLOWED_AUDIO_FORMATS)");
            }
            JobRecord job = jobs.submit(upload.file(), upload.displayName(), upload.size(), probe,
                    engineId == null ? batch.defaultEngine() : engineId, language, formats);
            ctx.status(201).header("Location", "/api/jobs/" + job.id()).json(view(job));
        } catch (UploadException e) {
            error(ctx, e.status(), e.status() == 413 ? "file_too_large" : e.status() == 415 ? "unsupported_media_type" : "invalid_request",
                    e.getMessage());
        } catch (AudioDecodeException e) {
            if (e.reason().fileProblem()) error(ctx, 415, e.reason().code(), e.getMessage());
            else error(ctx, 503, e.reason().code(), e.getMessage());
        } catch (BatchException.UnknownEngine | BatchException.UnsupportedLanguage e) {
            error(ctx, 400, "invalid_parameter", e.getMessage());
        } catch (BatchException e) {
            error(ctx, 503, "unavailable", e.getMessage());
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "invalid_parameter", e.getMessage());
        }
    }

    /** The engine if it is loaded now; a loading engine is fine for a queued job (the worker retries). */
    private Optional<StreamingEngine> engineNow(String id) {
        try {
            return Optional.of(batch.engine(id));
        } catch (BatchException e) {
            return Optional.empty();
        }
    }

    private static List<String> formats(String requested) {
        if (requested == null || requested.isBlank()) return TranscriptFiles.FORMATS;
        List<String> out = new ArrayList<>();
        for (String f : requested.split(",")) {
            String v = f.strip().toLowerCase(Locale.ROOT);
            if (v.isEmpty()) continue;
            if (!TranscriptFiles.isFormat(v)) throw new IllegalArgumentException("formats: '" + f.strip() + "' is not one of txt, json, srt, vtt");
            if (!out.contains(v)) out.add(v);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("formats: name at least one of txt, json, srt, vtt");
        return out;
    }

    private void list(Context ctx) {
        int page = intParam(ctx, "page", 1, 1, Integer.MAX_VALUE);
        int size = intParam(ctx, "size", 20, 1, MAX_PAGE_SIZE);
        if (ctx.statusCode() == 400) return;
        JobStore.Page p = jobs.list(page, size);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobs", p.jobs().stream().map(JobRoutes::view).toList());
        out.put("page", p.page());
        out.put("size", p.size());
        out.put("total", p.total());
        ctx.json(out);
    }

    private void transcript(Context ctx) throws IOException {
        String file = ctx.pathParam("file");
        if (!file.startsWith("transcript.") || !TranscriptFiles.isFormat(file.substring("transcript.".length()))) {
            error(ctx, 404, "not_found", "no such file; transcripts are transcript.txt, .json, .srt and .vtt");
            return;
        }
        String format = file.substring("transcript.".length());
        Optional<JobRecord> found = job(ctx);
        if (found.isEmpty()) return;
        JobRecord job = found.get();
        if (job.status() != JobStatus.SUCCEEDED) {
            error(ctx, 409, "not_ready", "the job is " + job.status().wire() + "; transcripts exist once it has succeeded");
            return;
        }
        if (!job.formats().contains(format)) {
            error(ctx, 404, "not_requested", "this job was not asked for " + format + " (formats: " + String.join(",", job.formats()) + ")");
            return;
        }
        Optional<InputStream> in = jobs.openResult(job, format);
        if (in.isEmpty()) {
            error(ctx, 410, "expired", "the transcript was deleted (TRANSCRIPT_RETENTION_DAYS)");
            return;
        }
        try (InputStream body = in.get()) {
            ctx.contentType(TranscriptFiles.contentType(format)).result(body.readAllBytes());
        }
    }

    private void cancel(Context ctx) throws IOException {
        Optional<UUID> id = id(ctx);
        if (id.isEmpty()) return;
        switch (jobs.cancel(id.get())) {
            case CANCELLED -> ctx.json(view(jobs.find(id.get()).orElseThrow()));
            case ALREADY_FINISHED -> {
                JobRecord j = jobs.find(id.get()).orElseThrow();
                error(ctx, 409, "already_finished", "the job is already " + j.status().wire() + "; nothing to cancel");
            }
            case NOT_FOUND -> notFound(ctx, id.get().toString());
        }
    }

    private Optional<JobRecord> job(Context ctx) {
        Optional<UUID> id = id(ctx);
        if (id.isEmpty()) return Optional.empty();
        Optional<JobRecord> job = jobs.find(id.get());
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
        error(ctx, 404, "not_found", "no job " + (id.length() > 64 ? id.substring(0, 64) + "…" : id));
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
        error(ctx, 400, "invalid_parameter", name + " must be a whole number from " + min + " to " + max);
        return fallback;
    }

    static Map<String, Object> view(JobRecord j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id().toString());
        m.put("status", j.status().wire());
        m.put("progress", j.progress());
        m.put("fileName", j.fileName());
        m.put("format", j.fileFormat());
        m.put("sizeBytes", j.sizeBytes());
        m.put("audioSeconds", j.audioSeconds());
        m.put("engine", j.engine());
        m.put("language", j.language());
        m.put("formats", j.formats());
        m.put("createdAt", j.createdAt() == null ? null : j.createdAt().toString());
        m.put("startedAt", j.startedAt() == null ? null : j.startedAt().toString());
        m.put("finishedAt", j.finishedAt() == null ? null : j.finishedAt().toString());
        m.put("attempts", j.attempts());
        if (j.errorCode() != null) m.put("error", Map.of("code", j.errorCode(), "message", String.valueOf(j.errorMessage())));
        if (j.status() == JobStatus.SUCCEEDED) {
            Map<String, String> links = new LinkedHashMap<>();
            for (String f : j.formats()) links.put(f, "/api/jobs/" + j.id() + "/transcript." + f);
            m.put("transcripts", links);
        }
        return m;
    }

    private static void error(Context ctx, int status, String code, String message) {
        HttpErrors.send(ctx, status, code, message);
    }
}
