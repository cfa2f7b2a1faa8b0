package dev.voxgate.engine.openai;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.engine.whisper.WhisperEngineProvider;
import dev.voxgate.server.TestEngines;
import dev.voxgate.server.TestServer;

import java.util.HashMap;
import java.util.Map;

/**
 * The remote of these tests: a second, real Voxgate server with the real Whisper engine (its default for files, so
 * what {@code /v1/audio/transcriptions} uses for {@code whisper-1}) and Vosk, started once per test JVM.
 */
final class Recognizer {
    private static TestServer server;
    private static StreamingEngine whisper;

    private Recognizer() {
    }

    static synchronized StreamingEngine whisper() {
        if (whisper == null) {
            try {
                whisper = (StreamingEngine) new WhisperEngineProvider().create(
                        new EngineContext(Map.of(), TestEngines.cacheDir()));
            } catch (EngineException e) {
                throw new IllegalStateException(e);
            }
        }
        return whisper;
    }

    static synchronized TestServer server() {
        if (server == null) {
            server = TestServer.streaming(Map.of("MAX_SESSIONS", "16", "TRANSCRIBE_TIMEOUT_MS", "60000"), whisper(),
                    TestEngines.vosk());
        }
        return server;
    }

    /** The remote's OpenAI-compatible base URL. */
    static String baseUrl(TestServer remote) {
        return remote.http("/v1").toString();
    }

    /** An openai engine pointing at {@code baseUrl}, with these extra settings; the caller closes it. */
    static OpenAiEngine openai(String baseUrl, Map<String, String> extra) throws EngineException {
        Map<String, String> s = new HashMap<>(Map.of("OPENAI_BASE_URL", baseUrl, "OPENAI_PROBE_INTERVAL_MS", "200",
                "OPENAI_CONNECT_TIMEOUT_MS", "2000", "OPENAI_REPLY_TIMEOUT_MS", "30000"));
        s.putAll(extra);
        return (OpenAiEngine) new OpenAiEngineProvider().create(new EngineContext(s, TestEngines.cacheDir()));
    }

    static StreamingEngine sharedOpenAi() {
        return Shared.ENGINE;
    }

    private static final class Shared {
        static final OpenAiEngine ENGINE;

        static {
            try {
                ENGINE = openai(baseUrl(server()), Map.of());
            } catch (EngineException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
