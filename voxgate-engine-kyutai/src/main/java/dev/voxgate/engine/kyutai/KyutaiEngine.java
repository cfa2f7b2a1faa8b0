package dev.voxgate.engine.kyutai;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineDescriptor;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.engine.remote.RemoteEngine;
import dev.voxgate.engine.remote.RemoteProbe;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kyutai's moshi-server as an engine: each session is one connection to its streaming ASR WebSocket. The session
 * layer gives 16 kHz; the session resamples to the 24 kHz moshi's models take. moshi's words (with their start and
 * stop times) come back as partials while they arrive and as a final per utterance.
 *
 * <p>{@link #isReady()} follows a {@link RemoteProbe} of moshi-server's {@code /api/build_info}, so a server that is
 * down at start-up is shown as down and used as soon as it answers; nothing here stops Voxgate.
 */
public final class KyutaiEngine extends RemoteEngine {
    static final int RATE = 16000;

    private final KyutaiConfig config;
    private final HttpClient http;

    KyutaiEngine(KyutaiConfig config) {
        this(config, httpClient(config.connectTimeout()));
    }

    private KyutaiEngine(KyutaiConfig config, HttpClient http) {
        super(descriptor(config), "KYUTAI_LANGUAGES", new RemoteProbe("kyutai", http,
                () -> HttpRequest.newBuilder(config.probeUrl()), config.connectTimeout(), config.probeInterval()),
                http::close);
        this.config = config;
        this.http = http;
    }

    private static EngineDescriptor descriptor(KyutaiConfig config) {
        Map<String, String> model = new LinkedHashMap<>();
        model.put("url", config.safeUrl());
        model.put("auth", config.apiKey().isPresent() ? "kyutai-api-key header (KYUTAI_API_KEY)" : "none");
        return new EngineDescriptor("kyutai", "Kyutai moshi-server streaming ASR ("
                + config.safeUrl() + ")", "1", capabilities(config.languages()), model);
    }

    static EngineCapabilities capabilities(List<String> languages) {
        return new EngineCapabilities(true, true, true, List.of(RATE), RATE, languages);
    }

    /** The session tells the probe itself: once connected the server answers, whatever the session's fate. */
    @Override
    protected RecognitionSession openSession(SessionOptions options, RecognitionListener listener)
            throws EngineException {
        return KyutaiSession.open(config, http, listener, probe());
    }
}
