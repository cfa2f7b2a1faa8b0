package dev.voxgate.engine.openai;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineDescriptor;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.engine.remote.RemoteProbe;
import dev.voxgate.engine.remote.RemoteSessionChecks;
import dev.voxgate.engine.whisper.SpeechUtterances;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible transcription API as an engine: finals only, one per utterance (Silero VAD), cased and
 * punctuated as the API returns them. {@link #isReady()} follows a probe of {@code GET {base}/models} with the key,
 * so a remote that is down, or refuses the key, shows as down and is used again once it answers.
 */
public final class OpenAiEngine implements StreamingEngine {
    static final int RATE = SpeechUtterances.SAMPLE_RATE;

    private final OpenAiConfig config;
    private final HttpClient http;
    private final OpenAiClient client;
    private final SpeechUtterances vad;
    private final RemoteProbe probe;
    private final EngineDescriptor descriptor;

    OpenAiEngine(OpenAiConfig config, SpeechUtterances vad) {
        this.config = config;
        this.vad = vad;
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        this.probe = new RemoteProbe("openai", http, () -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(config.models());
            config.apiKey().ifPresent(k -> b.header("Authorization", "Bearer " + k));
            return b;
        }, config.connectTimeout(), config.probeInterval());
        this.client = new OpenAiClient(config, http, probe);
        Map<String, String> model = new LinkedHashMap<>();
        model.put("url", config.safeUrl());
        model.put("model", config.model());
        model.put("auth", config.apiKey().isPresent() ? "bearer key (OPENAI_API_KEY)" : "none");
        model.put("vad", "Silero VAD (bundled)");
        this.descriptor = new EngineDescriptor("openai", "an OpenAI-compatible transcription API ("
                + config.safeUrl() + ", model " + config.model() + "), utterances cut by Silero VAD", "1",
                capabilities(config.languages()), model);
    }

    static EngineCapabilities capabilities(List<String> languages) {
        return new EngineCapabilities(true, false, false, List.of(RATE), RATE, languages);
    }

    @Override
    public EngineDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public boolean isReady() {
        return probe.isUp();
    }

    @Override
    public Optional<String> unavailableReason() {
        return probe.unavailableReason();
    }

    @Override
    public RecognitionSession open(SessionOptions options, RecognitionListener listener) throws EngineException {
        RemoteSessionChecks.requireSupported("openai", descriptor.capabilities(), options, "OPENAI_LANGUAGES");
        if (!probe.isUp()) {
            throw new EngineUnavailableException("the transcription API at " + config.safeUrl() + " is down: "
                    + probe.why());
        }
        String language = options.language() == null ? null
                : options.language().toLowerCase(Locale.ROOT).split("[-_]")[0];
        return new OpenAiSession(client, vad.newStream(), language, listener);
    }

    @Override
    public void close() {
        probe.close();
        http.close();
        vad.close();
    }
}
