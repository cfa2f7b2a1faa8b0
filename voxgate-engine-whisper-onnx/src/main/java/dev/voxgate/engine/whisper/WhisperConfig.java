package dev.voxgate.engine.whisper;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineUnavailableException;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The Whisper engine's settings, read once from the {@link EngineContext}.
 *
 * @param model        {@code WHISPER_ONNX_MODEL}: another all-in-one Whisper ONNX file to use instead
 *                     of the bundled tiny.en; empty for the bundled one
 * @param modelSha256  {@code WHISPER_ONNX_MODEL_SHA256}: the checksum that file must have, if known
 * @param beams        {@code WHISPER_BEAMS}: beam width of the search, 1 (greedy) to 8; default 4
 * @param threads      {@code WHISPER_THREADS}: ONNX Runtime intra-op threads per decode; default the cores
 * @param concurrency  how many decodes may run at once (the cores): more would only make each slower
 */
record WhisperConfig(Optional<Path> model, Optional<String> modelSha256, int beams, int threads, int concurrency) {
    static final int MAX_BEAMS = 8;

    static WhisperConfig from(EngineContext context) throws EngineUnavailableException {
        int cores = Runtime.getRuntime().availableProcessors();
        Optional<String> sha = context.setting("WHISPER_ONNX_MODEL_SHA256").map(s -> s.toLowerCase(Locale.ROOT));
        if (sha.isPresent() && !sha.get().matches("[0-9a-f]{64}")) {
            throw new EngineUnavailableException("WHISPER_ONNX_MODEL_SHA256=" + sha.get()
                    + " is not a sha256 (64 hex digits, as printed by sha256sum)");
        }
        return new WhisperConfig(context.setting("WHISPER_ONNX_MODEL").map(Path::of), sha,
                intSetting(context, "WHISPER_BEAMS", 4, 1, MAX_BEAMS),
                intSetting(context, "WHISPER_THREADS", cores, 1, 256), cores);
    }

    private static int intSetting(EngineContext context, String name, int fallback, int min, int max)
            throws EngineUnavailableException {
        Optional<String> raw = context.setting(name);
        if (raw.isEmpty()) return fallback;
        try {
            int v = Integer.parseInt(raw.get());
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException ignored) {
            // reported below with the allowed range
        }
        throw new EngineUnavailableException(name + "=" + raw.get() + " is not a whole number from " + min + " to "
                + max
                + " (default " + fallback + ")");
    }
}
