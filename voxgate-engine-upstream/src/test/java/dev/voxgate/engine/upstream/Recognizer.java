package dev.voxgate.engine.upstream;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.server.TestEngines;
import dev.voxgate.server.TestServer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The remote of these tests: a second, real Voxgate server with the real Vosk engine, on a free loopback port,
 * started once per test JVM (its model is loaded once and shared, as a server shares it).
 */
final class Recognizer {
    private static TestServer server;

    private Recognizer() {
    }

    static synchronized TestServer server() {
        if (server == null) {
            server = TestServer.streaming(Map.of("MAX_SESSIONS", "16", "TRANSCRIBE_TIMEOUT_MS", "60000"),
                    TestEngines.vosk());
        }
        return server;
    }

    /** The remote's {@code /v1/listen}. */
    static String listenUrl(TestServer remote) {
        return remote.ws("/v1/listen").toString();
    }

    /** An upstream engine pointing at {@code url}, with these extra settings; the caller closes it. */
    static UpstreamEngine upstream(String url, Map<String, String> extra) throws EngineException {
        Map<String, String> s = new HashMap<>(Map.of("UPSTREAM_URL", url, "UPSTREAM_PROBE_INTERVAL_MS", "200",
                "UPSTREAM_CONNECT_TIMEOUT_MS", "2000", "UPSTREAM_REPLY_TIMEOUT_MS", "30000"));
        s.putAll(extra);
        return (UpstreamEngine) new UpstreamEngineProvider().create(new EngineContext(s, cache()));
    }

    static StreamingEngine sharedUpstream() {
        return Shared.ENGINE;
    }

    private static Path cache() {
        return TestEngines.cacheDir();
    }

    private static final class Shared {
        static final UpstreamEngine ENGINE;

        static {
            try {
                ENGINE = upstream(listenUrl(server()), Map.of());
            } catch (EngineException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
