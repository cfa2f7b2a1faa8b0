package dev.voxgate.server.openai;

import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.transcribe.CueRules;
import dev.voxgate.audio.transcribe.Transcript;
import dev.voxgate.jobs.ResultFormat;
import dev.voxgate.jobs.TranscriptRenderer;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.engine.EngineSelection;
import dev.voxgate.server.engine.EngineSelector;
import dev.voxgate.server.error.ApiException;
import dev.voxgate.server.error.ClientText;
import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.error.HttpErrorMapper;
import dev.voxgate.server.files.ClientGone;
import dev.voxgate.server.files.FileTranscript;
import dev.voxgate.server.files.FileTranscription;
import dev.voxgate.server.engine.EngineStatus;
import dev.voxgate.server.error.ApiError;
import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.error.HttpErrorMapper;
import dev.voxgate.server.upload.Upload;
import dev.voxgate.server.upload.UploadException;
import dev.voxgate.server.upload.UploadReceiver;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OpenAI-compatible transcription API: {@code POST /v1/audio/transcriptions} (synchronous,
 * for short files) and {@code GET /v1/models}, with OpenAI's request fields, response shapes and
 * error shape, so every OpenAI SDK can point its base URL at Voxgate. {@code model} names an
 * engine; OpenAI's own model names (whisper-1, gpt-4o-transcribe, …) mean the default engine.
 * Word times, which a file engine without them gets from a second engine ({@link EngineSelector#withWordTimes}),
 * are paid for only when the answer shows them: word granularity, SRT and WebVTT.
 */
public final class OpenAiRoutes {
    static final Set<String> FORMATS = Set.of("json", "text", "srt", "vtt", "verbose_json");

    private final FileTranscription files;
    private final EngineSelector selector;
    private final UploadReceiver uploads;
    private final EngineRegistry engines;
    private final long created = Instant.now().getEpochSecond();

    public OpenAiRoutes(FileTranscription files, EngineSelector selector, UploadReceiver uploads,
            EngineRegistry engines) {
        this.files = files;
        this.selector = selector;
        this.uploads = uploads;
        this.engines = engines;
    }

    public void register(RoutesConfig routes) {
        routes.get("/v1/models",
                ctx -> ctx.json(Map.of("object", "list", "data", models().stream().map(this::model).toList())));
        routes.get("/v1/models/{id}", ctx -> {
            String id = ctx.pathParam("id");
            if (models().contains(id)) {
                ctx.json(model(id));
            } else {
                HttpErrorMapper.OPENAI.send(ctx, new ApiError(ErrorCode.NOT_FOUND, "model", "The model '"
                        + ClientText.clip(id, 64)
                        + "' does not exist; the models are this server's engines and OpenAI's transcription models "
                        + EngineSelector.OPENAI_MODELS + " (GET /v1/models lists them)"));
            }
        });
        routes.post("/v1/audio/transcriptions", this::transcribe);
        // What OpenAI answers for an endpoint it does not have: 404, "Invalid URL (…)", and no retry can help.
        routes.post("/v1/audio/translations", ctx -> HttpErrorMapper.OPENAI.send(ctx, ErrorCode.NOT_SUPPORTED,
                "Invalid URL (POST /v1/audio/translations): Voxgate does not translate; use /v1/audio/transcriptions"));
    }

    /** The engine ids, then OpenAI's transcription models (which mean the default file engine). */
    private List<String> models() {
        List<String> ids = new ArrayList<>(engines.all().stream().map(EngineStatus::id).toList());
        for (String m : EngineSelector.OPENAI_MODELS) if (!ids.contains(m)) ids.add(m);
        return ids;
    }

    private Map<String, Object> model(String id) {
        return Map.of("id", id, "object", "model", "created", created, "owned_by", "voxgate");
    }

    private void transcribe(Context ctx) {
        try (Upload upload = uploads.receive(ctx, "file")) {
            String format = upload.field("response_format").orElse("json").toLowerCase(Locale.ROOT);
            if (!FORMATS.contains(format)) {
                throw new ApiException(ErrorCode.INVALID_PARAMETER, "response_format",
                        "response_format must be one of json, text, srt, verbose_json, vtt");
            }
            Set<String> granularities = granularities(upload);
            CueRules cues = cueRules(upload);
            EngineSelection chosen = selector.selectModel(upload.field("model").orElse(""),
                    upload.field("language").orElse(null));
            if (!(chosen instanceof EngineSelection.Selected s)) throw new ApiException(chosen.error("model"));
            // Word times cost a second engine over the audio: paid only where they are shown.
            boolean showsWords = format.equals("srt") || format.equals("vtt")
                    || format.equals("verbose_json") && granularities.contains("word");
            StreamingEngine engine = showsWords ? selector.withWordTimes(s) : s.engine();
            FileTranscript t = ClientGone.interruptsThisThread(ctx,
                    () -> files.transcribe(s.id(), engine, s.language(), upload.file(), p -> { })
                    .requireComplete());
            respond(ctx, format, granularities, cues, t);
        } catch (ApiException e) {
            HttpErrorMapper.OPENAI.send(ctx, e.error());
        } catch (UploadException e) {
            HttpErrorMapper.OPENAI.send(ctx, e.error());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            HttpErrorMapper.OPENAI.send(ctx, ErrorCode.SERVER_SHUTDOWN,
                    "the transcription was stopped: the client left or the server is shutting down");
        }
    }

    private static Set<String> granularities(Upload upload) throws ApiException {
        Set<String> out = new LinkedHashSet<>();
        List<String> given = new ArrayList<>(upload.all("timestamp_granularities[]"));
        given.addAll(upload.all("timestamp_granularities"));
        for (String g : given) {
            String v = g.strip().toLowerCase(Locale.ROOT);
            if (!v.equals("word") && !v.equals("segment")) {
                throw new ApiException(ErrorCode.INVALID_PARAMETER, "timestamp_granularities",
                        "timestamp_granularities[] must be 'word' or 'segment', not '" + ClientText.clip(g, 64) + "'");
            }
            out.add(v);
        }
        if (out.isEmpty()) out.add("segment");
        return out;
    }

    /** {@code max_line_chars} and {@code max_cue_seconds}: how SRT and WebVTT cues are cut ({@link CueRules}). */
    static CueRules cueRules(Upload upload) throws ApiException {
        Optional<String> chars = upload.field("max_line_chars").map(String::strip);
        Optional<String> seconds = upload.field("max_cue_seconds").map(String::strip);
        int lineChars = CueRules.DEFAULT.maxLineChars();
        double cueSeconds = CueRules.DEFAULT.maxCueSeconds();
        if (chars.isPresent()) {
            lineChars = chars.get().matches("\\d{1,4}") ? Integer.parseInt(chars.get()) : -1;
            if (lineChars < CueRules.MIN_LINE_CHARS || lineChars > CueRules.MAX_LINE_CHARS) {
                throw new ApiException(ErrorCode.INVALID_PARAMETER, "max_line_chars", "max_line_chars must be a whole"
                        + " number of characters per subtitle line, " + CueRules.MIN_LINE_CHARS + " to "
                        + CueRules.MAX_LINE_CHARS + ", not '" + ClientText.clip(chars.get(), 32) + "'");
            }
        }
        if (seconds.isPresent()) {
            try {
                cueSeconds = Double.parseDouble(seconds.get());
            } catch (NumberFormatException e) {
                cueSeconds = Double.NaN;
            }
            if (!(cueSeconds >= CueRules.MIN_CUE_SECONDS && cueSeconds <= CueRules.MAX_CUE_SECONDS)) {
                throw new ApiException(ErrorCode.INVALID_PARAMETER, "max_cue_seconds", "max_cue_seconds must be the"
                        + " seconds a subtitle cue may stay on screen, " + (int) CueRules.MIN_CUE_SECONDS + " to "
                        + (int) CueRules.MAX_CUE_SECONDS + ", not '" + ClientText.clip(seconds.get(), 32) + "'");
            }
        }
        return new CueRules(lineChars, CueRules.DEFAULT.maxLines(), cueSeconds);
    }

    private static void respond(Context ctx, String format, Set<String> granularities, CueRules cues,
            FileTranscript r) {
        Transcript t = r.transcript();
        switch (format) {
            case "text" -> ctx.contentType("text/plain; charset=utf-8").result(t.text() + "\n");
            case "srt" -> ctx.contentType("text/plain; charset=utf-8")
                    .result(TranscriptRenderer.render(ResultFormat.SRT, t, r.engine(), r.language(), cues));
            case "vtt" -> ctx.contentType("text/plain; charset=utf-8")
                    .result(TranscriptRenderer.render(ResultFormat.VTT, t, r.engine(), r.language(), cues));
            case "verbose_json" -> ctx.json(OpenAiTranscripts.verbose(t, r.language(), granularities));
            default -> ctx.json(Map.of("text", t.text()));
        }
    }
}
