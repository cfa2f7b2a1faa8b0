package dev.voxgate.engine.upstream;

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
 * Another Voxgate as an engine: each session is one {@code /v1/listen} stream to it. Audio is sent at 16 kHz (the
 * session layer resamples what clients send); the remote's partials, finals and word times come back as they are.
 *
 * <p>{@link #isReady()} follows a {@link RemoteProbe} of the remote's {@code /ready}, so a remote that is down at
 * start-up is shown as down and used as soon as it answers; nothing here stops the server.
 */
public final class UpstreamEngine extends RemoteEngine {
    static final int RATE = 16000;

    private final UpstreamConfig config;
    private final HttpClient http;

    UpstreamEngine(UpstreamConfig config) {
        this(config, httpClient(config.connectTimeout()));
    }

    private UpstreamEngine(UpstreamConfig config, HttpClient http) {
        super(descriptor(config), "UPSTREAM_LANGUAGES", new RemoteProbe("upstream", http,
                () -> HttpRequest.newBuilder(config.readyUrl()), config.connectTimeout(), config.probeInterval()),
                http::close);
        this.config = config;
        this.http = http;
    }

    private static EngineDescriptor descriptor(UpstreamConfig config) {
        Map<String, String> model = new LinkedHashMap<>();
        model.put("url", config.safeUrl());
        model.put("remoteEngine", config.remoteEngine().orElse("(the remote's default)"));
        model.put("auth", config.apiKey().isPresent() ? "bearer key (UPSTREAM_API_KEY)" : "none");
        return new EngineDescriptor("upstream", "another Voxgate over its native protocol ("
                + config.safeUrl() + ")", "1", capabilities(config.languages()), model);
    }

    static EngineCapabilities capabilities(List<String> languages) {
        return new EngineCapabilities(true, true, true, List.of(RATE), RATE, languages);
    }

    @Override
    protected RecognitionSession openSession(SessionOptions options, RecognitionListener listener)
            throws EngineException {
        return reportingReachability(() -> UpstreamSession.open(config, http, options, listener));
    }
}
