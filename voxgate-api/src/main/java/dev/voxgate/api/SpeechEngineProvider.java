package dev.voxgate.api;

import java.util.Optional;

/**
 * Entry point of an engine module, registered in
 * {@code META-INF/services/dev.voxgate.api.SpeechEngineProvider} and found with
 * {@link java.util.ServiceLoader}. Providers are cheap to instantiate; the work happens in
 * {@link #create}.
 */
public interface SpeechEngineProvider {

    /** The engine id clients select ({@code vosk}); lower case, stable. */
    String id();

    /** Capabilities known without loading anything, for listings before the engine is ready. */
    EngineCapabilities capabilities();

    /**
     * The settings this engine needs and was not given, named, or empty when it has what it needs. An engine that
     * needs settings to do anything (a remote engine's URL) says so here, and the server then leaves it out quietly
     * instead of reporting a load failure on every start of a server that does not use it. Cheap; no I/O.
     *
     * @param context the provider's own settings, as {@link #create} would get them
     */
    default Optional<String> missingSettings(EngineContext context) {
        return Optional.empty();
    }

    /**
     * Loads the engine (may take seconds: model extraction and loading).
     *
     * @throws EngineUnavailableException with a message naming the cause and the fix
     */
    SpeechEngine create(EngineContext context) throws EngineException;
}
