package dev.voxgate.server.openai;

import dev.voxgate.api.EngineException;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.api.UnsupportedAudioException;
import dev.voxgate.audio.decode.AudioDecodeException;
import dev.voxgate.audio.decode.AudioProbe;
import dev.voxgate.audio.transcribe.SubtitleFormatter;
import dev.voxgate.audio.transcribe.Transcript;
import dev.voxgate.server.HttpErrors;
import dev.voxgate.server.batch.BatchException;
import dev.voxgate.server.batch.BatchTranscriber;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.engine.EngineStatus;
import dev.voxgate.server.error.ApiError;
import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.error.HttpErrorMapper;
import dev.voxgate.server.upload.Upload;
import dev.voxgate.server.upload.UploadException;
import dev.voxgate.server.upload.UploadReceiver;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The OpenAI-compatible transcription API: {@code POST /v1/audio/transcriptions} (synchronous,
 * for short files) and {@code GET /v1/models}, with OpenAI's request fields, response shapes and
 * error shape, so every OpenAI SDK can point its base URL at Voxgate. {@code model} names an
 * engine; OpenAI's own model names (whisper-1, gpt-4o-transcribe, …) mean the default engine.
 */
public final class OpenAiRoutes {
    private static final Logger log = LoggerFactory.getLogger(OpenAiRoutes.class);
    static final Set<String> FORMATS = Set.of("json", "text", "srt", "vtt", "verbose_json");
    /** OpenAI's transcription models: {@code GET /v1/models/{id}} knows them, and as {@code model} they select the default file engine. */
    public static final List<String> OPENAI_MODELS = List.of("whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe");

    private final BatchTranscriber batch;
    private final UploadReceiver uploads;
    private final EngineRegistry engines;
    private final long created = Instant.now().getEpochSecond();

    public OpenAiRoutes(BatchTranscriber batch, UploadReceiver uploads, EngineRegistry engines) {
        this.batch = batch;
        this.uploads = uploads;
        this.engines = engines;
    }

    public void register(RoutesConfig routes) {
        routes.get("/v1/models", ctx -> ctx.json(Map.of("object", "list", "data", models().stream().map(this::model).toList())));
        routes.get("/v1/models/{id}", ctx -> {
            String id = ctx.pathParam("id");
            if (models().contains(id)) {
                ctx.json(model(id));
            } else {
                HttpErrorMapper.OPENAI.send(ctx, new ApiError(ErrorCode.NOT_FOUND, "model", "The model '" + clip(id)
                        + "' does not exist; the models are this server's engines and OpenAI's transcription models "
                        + OPENAI_MODELS + " (GET /v1/models lists them)"));
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
        for (String m : OPENAI_MODELS) if (!ids.contains(m)) ids.add(m);
        return ids;
    }

    private Map<String, Object> model(String id) {
        return Map.of("id", id, "object", "model", "created", created, "owned_by", "voxgate");
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    private void transcribe(Context ctx) {
        try (Upload upload = uploads.receive(ctx, "file")) {
            String format = upload.field("response_format").orElse("json").toLowerCase(Locale.ROOT);
            if (!FORMATS.contains(format)) {
                throw new RequestError(400, "response_format", "response_format must be one of json, text, srt, verbose_json, vtt");
            }
            Set<String> granularities = granularities(upload);
            StreamingEngine engine = batch.engine(engineFor(upload.field("model").orElse("")));
            String language = batch.language(engine, upload.field("language").orElse(null));
            AudioProbe probe = batch.probe(upload.file());
            if (!probe.matchesAny(uploads.config().allowedFormats())) {
                throw new RequestError(400, "file", "Invalid file format. Supported formats: " + uploads.config().allowedFormats()
                        + " (this file is " + probe.format() + ")");
            }
            BatchTranscriber.Result r = batch.transcribe(engine, upload.file(), language, p -> { });
            respond(ctx, format, granularities, r);
        } catch (RequestError e) {
            error(ctx, e.status, "invalid_request_error", e.param, null, e.getMessage());
        } catch (UploadException e) {
            error(ctx, e.status() == 415 ? 400 : e.status(), "invalid_request_error", e.param(), null, e.getMessage());
        } catch (BatchException.UnknownEngine | BatchException.UnsupportedLanguage e) {
            error(ctx, 400, "invalid_request_error", e instanceof BatchException.UnknownEngine ? "model" : "language", null, e.getMessage());
        } catch (BatchException e) {
            error(ctx, 503, "server_error", null, "engine_unavailable", e.getMessage());
        } catch (AudioDecodeException e) {
            if (e.reason().fileProblem()) {
                error(ctx, 400, "invalid_request_error", "file", e.reason().code(), "Could not decode the file: " + e.getMessage());
            } else {
                log.warn("decoding an upload failed on the server's side: {}", e.toString());
                error(ctx, 500, "server_error", null, e.reason().code(), e.getMessage());
            }
        } catch (UnsupportedAudioException e) {
            error(ctx, 400, "invalid_request_error", "file", null, e.getMessage());
        } catch (EngineException e) {
            log.warn("transcription failed: {}", e.toString());
            error(ctx, 500, "server_error", null, "engine_failure", "the speech engine failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(ctx, 503, "server_error", null, "server_shutdown", "the server is shutting down");
        }
    }

    /** OpenAI model names select the default engine; an engine id selects that engine. */
    private String engineFor(String model) {
        return batch.isEngine(model) ? model : "";
    }

    private static Set<String> granularities(Upload upload) throws RequestError {
        Set<String> out = new LinkedHashSet<>();
        List<String> given = new ArrayList<>(upload.all("timestamp_granularities[]"));
        given.addAll(upload.all("timestamp_granularities"));
        for (String g : given) {
            String v = g.strip().toLowerCase(Locale.ROOT);
            if (!v.equals("word") && !v.equals("segment")) {
                throw new RequestError(400, "timestamp_granularities", "timestamp_granularities[] must be 'word' or 'segment', not '" + g + "'");
            }
            out.add(v);
        }
        if (out.isEmpty()) out.add("segment");
        return out;
    }

    private static void respond(Context ctx, String format, Set<String> granularities, BatchTranscriber.Result r) {
        Transcript t = r.decoded().transcript();
        switch (format) {
            case "text" -> ctx.contentType("text/plain; charset=utf-8").result(t.text() + "\n");
            case "srt" -> ctx.contentType("text/plain; charset=utf-8").result(SubtitleFormatter.srt(t));
            case "vtt" -> ctx.contentType("text/plain; charset=utf-8").result(SubtitleFormatter.vtt(t));
            case "verbose_json" -> ctx.json(OpenAiTranscripts.verbose(t, r.language(), granularities));
            default -> ctx.json(Map.of("text", t.text()));
        }
    }

    static void error(Context ctx, int status, String type, String param, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("type", type);
        body.put("param", param);
        body.put("code", code);
        HttpErrors.sendBody(ctx, status, Map.of("error", body));
    }

    private static final class RequestError extends Exception {
        final int status;
        final String param;

        RequestError(int status, String param, String message) {
            super(message);
            this.status = status;
            this.param = param;
        }
    }
}
