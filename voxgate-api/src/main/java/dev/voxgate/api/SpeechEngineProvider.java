package dev.voxgate.api;

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
     * Loads the engine (may take seconds: model extraction and loading).
     *
     * @throws EngineUnavailableException with a message naming the cause and the fix
     */
    SpeechEngine create(EngineContext context) throws EngineException;
}
