package dev.voxgate.engine.openai;

import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionFailedException;
import dev.voxgate.engine.remote.RemoteProbe;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Posts one utterance to {@code {base}/audio/transcriptions} and maps the answer into the SPI's exceptions.
 * Thread-safe;
 * shared by the engine's sessions. Each call waits on the caller's thread (a session's driving thread) for at most the
 * reply timeout, and can be cancelled from another thread through the {@link Call} it hands out.
 */
final class OpenAiClient {
    private final OpenAiConfig config;
    private final HttpClient http;
    private final RemoteProbe probe;

    /** @param probe told what calls find, so a remote that stops answering shows as down before its next probe */
    OpenAiClient(OpenAiConfig config, HttpClient http, RemoteProbe probe) {
        this.config = config;
        this.http = http;
        this.probe = probe;
    }

    /** A call in flight; {@link #cancel()} makes the waiting thread give up at once. */
    static final class Call {
        private volatile CompletableFuture<?> future;
        private volatile boolean cancelled;

        void cancel() {
            cancelled = true;
            CompletableFuture<?> f = future;
            if (f != null) f.cancel(true);
        }
    }

    /**
     * The text of one utterance ("" when the API heard nothing).
     *
     * @throws EngineUnavailableException when the API cannot be reached or refuses the key: another engine may serve
     * @throws RecognitionFailedException when it answers with an error, too late, or not in its own format
     * @throws CancellationException      when {@code call} was cancelled (the session was closed)
     */
    String transcribe(short[] pcm, int sampleRate, String language, Call call) throws EngineException {
        try {
            String text = post(pcm, sampleRate, language, call);
            probe.reachable();
            return text;
        } catch (EngineUnavailableException e) {
            probe.unreachable(e.getMessage());
            throw e;
        }
    }

    private String post(short[] pcm, int sampleRate, String language, Call call) throws EngineException {
        OpenAiCodec.Multipart body = OpenAiCodec.request(pcm, sampleRate, config.model(), language,
                "voxgate-" + UUID.randomUUID());
        HttpRequest.Builder b = HttpRequest.newBuilder(config.transcriptions()).timeout(config.replyTimeout())
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.body()));
        config.apiKey().ifPresent(k -> b.header("Authorization", "Bearer " + k));
        CompletableFuture<HttpResponse<String>> f = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
        call.future = f;
        if (call.cancelled) f.cancel(true);
        HttpResponse<String> r;
        try {
            r = f.get(config.replyTimeout().toMillis() + config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new RecognitionFailedException("the transcription API at " + config.safeUrl() + " did not answer "
                    + "within OPENAI_REPLY_TIMEOUT_MS=" + config.replyTimeout().toMillis(), null);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new RecognitionFailedException("interrupted while waiting for the transcription API", e);
        }
        OpenAiCodec.Reply reply;
        try {
            reply = OpenAiCodec.reply(r.statusCode(), r.body());
        } catch (IllegalArgumentException e) {
            throw new RecognitionFailedException("the transcription API at " + config.safeUrl() + " sent "
                    + e.getMessage() + ": is OPENAI_BASE_URL an OpenAI-compatible /v1?", null);
        }
        return switch (reply) {
            case OpenAiCodec.Reply.Text t -> t.text();
            case OpenAiCodec.Reply.Error e -> throw error(e);
        };
    }

    private EngineException failure(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return new EngineUnavailableException("the transcription API at " + config.safeUrl() + " did not accept "
                    + "a connection within OPENAI_CONNECT_TIMEOUT_MS=" + config.connectTimeout().toMillis());
        }
        if (cause instanceof HttpTimeoutException) {
            return new RecognitionFailedException("the transcription API at " + config.safeUrl() + " did not answer "
                    + "within OPENAI_REPLY_TIMEOUT_MS=" + config.replyTimeout().toMillis(), null);
        }
        if (cause instanceof ConnectException) {
            return new EngineUnavailableException("cannot connect to the transcription API at " + config.safeUrl()
                    + " (connection refused): check OPENAI_BASE_URL");
        }
        return new RecognitionFailedException("the connection to the transcription API at " + config.safeUrl()
                + " broke (" + cause.getClass().getSimpleName() + ")", cause);
    }

    private EngineException error(OpenAiCodec.Reply.Error e) {
        String said = (e.code().isEmpty() ? "" : " " + e.code()) + (e.message().isEmpty() ? "" : ": " + e.message());
        return switch (e.status()) {
            case 401, 403 -> new EngineUnavailableException("the transcription API at " + config.safeUrl()
                    + " refused the key (HTTP " + e.status() + "): check OPENAI_API_KEY");
            case 404 -> new EngineUnavailableException("the transcription API at " + config.safeUrl()
                    + " has no /audio/transcriptions or no model '" + config.model() + "' (HTTP 404" + said
                    + "): check OPENAI_BASE_URL and OPENAI_MODEL");
            case 429 -> new EngineUnavailableException("the transcription API at " + config.safeUrl()
                    + " is rate limiting or out of quota (HTTP 429" + said + ")");
            default -> new RecognitionFailedException(String.format(Locale.ROOT,
                    "the transcription API at %s answered HTTP %d%s", config.safeUrl(), e.status(), said), null);
        };
    }
}
