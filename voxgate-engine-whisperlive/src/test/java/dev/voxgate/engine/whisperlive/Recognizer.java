package dev.voxgate.engine.whisperlive;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.server.TestEngines;

import java.util.HashMap;
import java.util.Map;

/** The engines of these tests, against the {@link FakeWhisperLive} of the test JVM or one of a test's own. */
final class Recognizer {
    private Recognizer() {
    }

    /** A whisperlive engine pointing at {@code url}, with these extra settings; the caller closes it. */
    static WhisperLiveEngine whisperlive(String url, Map<String, String> extra) throws EngineException {
        Map<String, String> s = new HashMap<>(Map.of("WHISPERLIVE_URL", url, "WHISPERLIVE_PROBE_INTERVAL_MS", "200",
                "WHISPERLIVE_CONNECT_TIMEOUT_MS", "2000", "WHISPERLIVE_REPLY_TIMEOUT_MS", "30000",
                "WHISPERLIVE_TAIL_MS", "300"));
        s.putAll(extra);
        return (WhisperLiveEngine) new WhisperLiveEngineProvider().create(new EngineContext(s,
                TestEngines.cacheDir()));
    }

    static StreamingEngine shared() {
        return Shared.ENGINE;
    }

    private static final class Shared {
        static final WhisperLiveEngine ENGINE;

        static {
            try {
                ENGINE = whisperlive(FakeWhisperLive.shared().url(), Map.of());
            } catch (EngineException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
