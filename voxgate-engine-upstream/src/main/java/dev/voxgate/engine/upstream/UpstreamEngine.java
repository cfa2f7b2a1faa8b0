package dev.voxgate.engine.upstream;

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

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * Another Voxgate as an engine: each session is one {@code /v1/listen} stream to it. Audio is sent at 16 kHz (the
 * session layer resamples what clients send); the remote's partials, finals and word times come back as they are.
 *
 * <p>{@link #isReady()} follows a {@link RemoteProbe} of the remote's {@code /ready}, so a remote that is down at
 * start-up is shown as down and used as soon as it answers; nothing here stops the server.
 */
public final class UpstreamEngine implements StreamingEngine {
    static final int RATE = 16000;

    private final UpstreamConfig config;
    private final HttpClient http;
    private final RemoteProbe probe;
    private final EngineDescriptor descriptor;

    UpstreamEngine(UpstreamConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        this.probe = new RemoteProbe("upstream", http, () -> HttpRequest.newBuilder(config.readyUrl()),
                config.connectTimeout(), config.probeInterval());
        Map<String, String> model = new LinkedHashMap<>();
        model.put("url", config.safeUrl());
        model.put("remoteEngine", config.remoteEngine().orElse("(the remote's default)"));
        model.put("auth", config.apiKey().isPresent() ? "bearer key (UPSTREAM_API_KEY)" : "none");
        this.descriptor = new EngineDescriptor("upstream", "another Voxgate over its native protocol ("
                + config.safeUrl() + ")", "1", capabilities(config.languages()), model);
    }

    static EngineCapabilities capabilities(List<String> languages) {
        return new EngineCapabilities(true, true, true, List.of(RATE), RATE, languages);
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
        RemoteSessionChecks.requireSupported("upstream", descriptor.capabilities(), options, "UPSTREAM_LANGUAGES");
        try {
            UpstreamSession s = UpstreamSession.open(config, http, options, listener);
            probe.reachable();
            return s;
        } catch (EngineUnavailableException e) {
            probe.unreachable(e.getMessage());
            throw e;
        }
    }

    @Override
    public void close() {
        probe.close();
        http.close();
    }
}
