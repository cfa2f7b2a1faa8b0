package dev.voxgate.engine.openai;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineDescriptor;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.engine.remote.RemoteEngine;
import dev.voxgate.engine.remote.RemoteProbe;
import dev.voxgate.engine.whisper.SpeechUtterances;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An OpenAI-compatible transcription API as an engine: finals only, one per utterance (Silero VAD), cased and
 * punctuated as the API returns them. {@link #isReady()} follows a probe of {@code GET {base}/models} with the key,
 * so a remote that is down, or refuses the key, shows as down and is used again once it answers.
 */
public final class OpenAiEngine extends RemoteEngine {
    static final int RATE = SpeechUtterances.SAMPLE_RATE;

    private final OpenAiConfig config;
    private final OpenAiClient client;
    private final SpeechUtterances vad;

    OpenAiEngine(OpenAiConfig config, SpeechUtterances vad) {
        this(config, vad, httpClient(config.connectTimeout()));
    }

    private OpenAiEngine(OpenAiConfig config, SpeechUtterances vad, HttpClient http) {
        super(descriptor(config), "OPENAI_LANGUAGES", new RemoteProbe("openai", http, () -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(config.models());
            config.apiKey().ifPresent(k -> b.header("Authorization", "Bearer " + k));
            return b;
        }, config.connectTimeout(), config.probeInterval()), http::close, vad::close);
        this.config = config;
        this.vad = vad;
        this.client = new OpenAiClient(config, http, probe());
    }

    private static EngineDescriptor descriptor(OpenAiConfig config) {
        Map<String, String> model = new LinkedHashMap<>();
        model.put("url", config.safeUrl());
        model.put("model", config.model());
        model.put("auth", config.apiKey().isPresent() ? "bearer key (OPENAI_API_KEY)" : "none");
        model.put("vad", "Silero VAD (bundled)");
        return new EngineDescriptor("openai", "an OpenAI-compatible transcription API ("
                + config.safeUrl() + ", model " + config.model() + "), utterances cut by Silero VAD", "1",
                capabilities(config.languages()), model);
    }

    static EngineCapabilities capabilities(List<String> languages) {
        return new EngineCapabilities(true, false, false, List.of(RATE), RATE, languages);
    }

    @Override
    protected RecognitionSession openSession(SessionOptions options, RecognitionListener listener)
            throws EngineException {
        if (!probe().isUp()) {
            throw new EngineUnavailableException("the transcription API at " + config.safeUrl() + " is down: "
                    + probe().why());
        }
        String language = options.language() == null ? null
                : options.language().toLowerCase(Locale.ROOT).split("[-_]")[0];
        return new OpenAiSession(client, vad.newStream(), language, listener);
    }
}
