package dev.voxgate.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a provider may read when it creates its engine: its own settings (environment-style
 * names such as {@code VOSK_MODEL_PATH}, already merged from environment, file and flags by the
 * caller) and a folder where it may cache extracted models.
 */
public record EngineContext(Map<String, String> settings, Path cacheDir) {
    public EngineContext {
        settings = Map.copyOf(settings);
    }

    public Optional<String> setting(String name) {
        String v = settings.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }
}
