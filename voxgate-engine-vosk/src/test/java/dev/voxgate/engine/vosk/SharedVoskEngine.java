package dev.voxgate.engine.vosk;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.StreamingEngine;

import java.nio.file.Path;
import java.util.Map;

/**
 * One engine with the bundled model for every test class in this JVM: loading the model is the slow part. Never closed.
 */
final class SharedVoskEngine {
    private static StreamingEngine shared;

    private SharedVoskEngine() {
    }

    static synchronized StreamingEngine get() throws EngineException {
        if (shared == null) {
            shared = (StreamingEngine) new VoskEngineProvider().create(new EngineContext(Map.of(),
                    Path.of(System.getProperty("java.io.tmpdir"), "voxgate-test-cache")));
        }
        return shared;
    }
}
