package dev.voxgate.server;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.engine.vosk.VoskEngineProvider;

import java.nio.file.Path;
import java.util.Map;

/** The real Vosk engine with the bundled model, loaded once per test JVM and shared (as the server shares it). */
public final class TestEngines {
    private static StreamingEngine vosk;

    private TestEngines() {
    }

    public static synchronized StreamingEngine vosk() {
        if (vosk == null) {
            try {
                vosk = (StreamingEngine) new VoskEngineProvider().create(new EngineContext(Map.of(), cacheDir()));
            } catch (EngineException e) {
                throw new IllegalStateException(e);
            }
        }
        return vosk;
    }

    /** A cache shared by the modules' test runs, inside the build's target folder. */
    public static Path cacheDir() {
        String root = System.getProperty("voxgate.test.cache");
        return root != null ? Path.of(root) : Path.of(System.getProperty("java.io.tmpdir"), "voxgate-test-cache");
    }
}
