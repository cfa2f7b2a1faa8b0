package dev.voxgate.engine.whisperlive;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineDescriptor;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.engine.remote.RemoteEngine;
import dev.voxgate.engine.remote.RemoteProbe;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
public final class WhisperLiveEngine extends RemoteEngine {
    static final int RATE = 16000;

    private final WhisperLiveConfig config;
    private final HttpClient http;

    WhisperLiveEngine(WhisperLiveConfig config) {
        this(config, httpClient(config.connectTimeout()));
    }

    private WhisperLiveEngine(WhisperLiveConfig config, HttpClient http) {
        super(descriptor(config), "WHISPERLIVE_LANGUAGES",
                new RemoteProbe("whisperlive", () -> probeOnce(config, http), config.probeInterval()), http::close);
        this.config = config;
        this.http = http;
    }

    private static EngineDescriptor descriptor(WhisperLiveConfig config) {
        Map<String, String> model = new LinkedHashMap<>();
        model.put("url", config.safeUrl());
        model.put("model", config.model());
        model.put("auth", config.basicAuth().isPresent() ? "basic (user info of WHISPERLIVE_URL)" : "none");
        return new EngineDescriptor("whisperlive", "a WhisperLive server (" + config.safeUrl()
                + ", model " + config.model() + ")", "1", capabilities(config.languages()), model);
    }

    static EngineCapabilities capabilities(List<String> languages) {
        return new EngineCapabilities(true, true, false, List.of(RATE), RATE, languages);
    }

    /** A WebSocket upgrade, closed at once. */
    private static Optional<String> probeOnce(WhisperLiveConfig config, HttpClient http) throws Exception {
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
    protected RecognitionSession openSession(SessionOptions options, RecognitionListener listener)
            throws EngineException {
        return reportingReachability(() -> WhisperLiveSession.open(config, http, options, listener),
                refusal -> refusal.getCause() instanceof WhisperLiveSession.ServerFull);
    }
}
