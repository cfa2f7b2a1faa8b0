package dev.voxgate.api;

/**
 * A loaded recognition engine, shared by all sessions; thread-safe.
 *
 * <p>Loading (a model, a connection) happens in {@link SpeechEngineProvider#create}; {@link #close}
 * releases what the engine holds once no session uses it any more.
 */
public interface SpeechEngine extends AutoCloseable {

    EngineDescriptor descriptor();

    /** Whether the engine can open sessions now (model loaded, remote reachable). */
    default boolean isReady() {
        return true;
    }

    @Override
    void close();
}
