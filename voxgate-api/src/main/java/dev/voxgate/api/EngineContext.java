package dev.voxgate.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a provider may read when it creates its engine: its own settings (environment-style
 * names such as {@code VOSK_MODEL_PATH}, already merged from environment, file and flags by the
 * caller), a folder where it may cache extracted models, and the process's other engines (for
 * engines composed of others).
 */
public record EngineContext(Map<String, String> settings, Path cacheDir, EngineLookup engines) {
    public EngineContext {
        settings = Map.copyOf(settings);
        engines = engines == null ? EngineLookup.NONE : engines;
    }

    /** A context for a provider created on its own, with no other engines to compose. */
    public EngineContext(Map<String, String> settings, Path cacheDir) {
        this(settings, cacheDir, EngineLookup.NONE);
    }

    public Optional<String> setting(String name) {
        String v = settings.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }
}
