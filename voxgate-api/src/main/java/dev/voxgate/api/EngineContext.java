package dev.voxgate.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a provider may read when it creates its engine: its own settings, a folder where it may
 * cache extracted models, and the process's other engines (for engines composed of others).
 *
 * <p><b>Settings</b> are environment-style names, already merged from environment, file and flags
 * by the caller. The server gives each provider only its own: the names that start with its
 * {@linkplain #settingsPrefix(String) prefix} ({@code VOSK_} for {@code vosk}, {@code WHISPER_}
 * for {@code whisper}), so an engine never sees {@code DATABASE_URL}, API keys of other engines or
 * anything else of the process. A provider must read only names with its prefix; a setting shared
 * by several engines is passed explicitly by the server and documented where it does so.
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

    /** The named setting, stripped; empty when it is not given or blank. */
    public Optional<String> setting(String name) {
        String v = settings.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    /**
     * The prefix of the settings that belong to the engine with this id: the id in upper case,
     * every character that is not a letter or digit turned into {@code _}, and a final {@code _}
     * ({@code vosk} → {@code VOSK_}, {@code vosk+whisper} → {@code VOSK_WHISPER_}).
     */
    public static String settingsPrefix(String engineId) {
        StringBuilder sb = new StringBuilder(engineId.length() + 1);
        engineId.codePoints()
                .forEach(c -> sb.appendCodePoint(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_'));
        return sb.append('_').toString();
    }
}
