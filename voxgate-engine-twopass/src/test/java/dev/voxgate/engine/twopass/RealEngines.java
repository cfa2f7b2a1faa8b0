package dev.voxgate.engine.twopass;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineLookup;
import dev.voxgate.api.SpeechEngineProvider;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.engine.vosk.VoskEngineProvider;
import dev.voxgate.engine.whisper.WhisperEngineProvider;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The real {@code vosk} and {@code whisper} engines with their bundled models, loaded once per JVM
 * and never closed, and the two-pass engine made from them by its own provider through
 * {@link EngineLookup}, as the server's registry does.
 */
final class RealEngines {
    /** The build's own cache folder, so tests never touch the user's. */
    static final Path CACHE = Path.of("target", "voxgate-cache").toAbsolutePath();

    private static StreamingEngine vosk;
    private static StreamingEngine whisper;
    private static StreamingEngine twoPass;

    private RealEngines() {
    }

    static synchronized StreamingEngine twoPass() throws EngineException {
        if (twoPass == null) {
            vosk = load(new VoskEngineProvider());
            whisper = load(new WhisperEngineProvider());
            EngineLookup lookup = (id, timeout) -> Optional.ofNullable(switch (id) {
                case VoskEngineProvider.ID -> vosk;
                case WhisperEngineProvider.ID -> whisper;
                default -> null;
            });
            twoPass = (StreamingEngine) new TwoPassEngineProvider().create(new EngineContext(Map.of(), CACHE, lookup));
        }
        return twoPass;
    }

    private static StreamingEngine load(SpeechEngineProvider provider) throws EngineException {
        return (StreamingEngine) provider.create(new EngineContext(Map.of(), CACHE));
    }
}
