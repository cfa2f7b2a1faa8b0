package dev.voxgate.engine.kyutai;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.server.TestEngines;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The remote of these tests: one {@link FakeMoshiServer} per test JVM, recognising with the real Vosk engine (its
 * model loaded once and shared, as a server shares it), and the kyutai engines that talk to it.
 */
final class Recognizer {
    private static FakeMoshiServer moshi;

    private Recognizer() {
    }

    static synchronized FakeMoshiServer moshi() {
        if (moshi == null) moshi = new FakeMoshiServer(TestEngines.vosk(), Set.of(FakeMoshiServer.KEY), 16);
        return moshi;
    }

    /** A kyutai engine pointing at {@code url} with the right key, plus these settings; the caller closes it. */
    static KyutaiEngine kyutai(String url, Map<String, String> extra) throws EngineException {
        Map<String, String> s = new HashMap<>(Map.of("KYUTAI_URL", url, "KYUTAI_API_KEY", FakeMoshiServer.KEY,
                "KYUTAI_PROBE_INTERVAL_MS", "200", "KYUTAI_CONNECT_TIMEOUT_MS", "2000",
                "KYUTAI_REPLY_TIMEOUT_MS", "30000"));
        s.putAll(extra);
        s.values().removeIf(String::isEmpty); // "" unsets a default above
        return (KyutaiEngine) new KyutaiEngineProvider().create(new EngineContext(s, TestEngines.cacheDir()));
    }

    static StreamingEngine sharedKyutai() {
        return Shared.ENGINE;
    }

    private static final class Shared {
        static final KyutaiEngine ENGINE;

        static {
            try {
                ENGINE = kyutai(moshi().url(""), Map.of());
            } catch (EngineException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
