package dev.voxgate.engine.whisperlive;

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
import java.net.http.WebSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A WhisperLive server as an engine: each session is one WebSocket to it, audio sent as float32 frames at 16 kHz (the
 * session layer resamples what clients send), its re-sent segment windows turned into partials and finals by
 * {@link SegmentWindow}. WhisperLive gives no word times.
 *
 * <p>WhisperLive has no readiness URL, so the {@link RemoteProbe} opens a WebSocket and closes it before sending the
 * options (the server then only logs a client that left; no slot is taken). A full server ({@code WAIT}) refuses the
 * session, which falls back, but is not shown down: it answers, and frees a slot when a session ends.
 */
public final class WhisperLiveEngine implements StreamingEngine {
    static final int RATE = 16000;

    private final WhisperLiveConfig config;
    private final HttpClient http;
    private final RemoteProbe probe;
    private final EngineDescriptor descriptor;

    WhisperLiveEngine(WhisperLiveConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        this.probe = new RemoteProbe("whisperlive", this::probeOnce, config.probeInterval());
        Map<String, String> model = new LinkedHashMap<>();
        model.put("url", config.safeUrl());
        model.put("model", config.model());
        model.put("auth", config.basicAuth().isPresent() ? "basic (user info of WHISPERLIVE_URL)" : "none");
        this.descriptor = new EngineDescriptor("whisperlive", "a WhisperLive server (" + config.safeUrl()
                + ", model " + config.model() + ")", "1", capabilities(config.languages()), model);
    }

    static EngineCapabilities capabilities(List<String> languages) {
        return new EngineCapabilities(true, true, false, List.of(RATE), RATE, languages);
    }

    /** A WebSocket upgrade, closed at once. */
    private Optional<String> probeOnce() throws Exception {
        WebSocket ws;
        try {
            ws = WhisperLiveSession.connect(config, http, new WebSocket.Listener() { });
        } catch (EngineUnavailableException e) {
            return Optional.of(e.getMessage());
        }
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            ws.abort();
        }
        return Optional.empty();
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
        RemoteSessionChecks.requireSupported("whisperlive", descriptor.capabilities(), options,
                "WHISPERLIVE_LANGUAGES");
        try {
            WhisperLiveSession s = WhisperLiveSession.open(config, http, options, listener);
            probe.reachable();
            return s;
        } catch (EngineUnavailableException e) {
            if (e.getCause() instanceof WhisperLiveSession.ServerFull) probe.reachable();
            else probe.unreachable(e.getMessage());
            throw e;
        }
    }

    @Override
    public void close() {
        probe.close();
        http.close();
    }
}
