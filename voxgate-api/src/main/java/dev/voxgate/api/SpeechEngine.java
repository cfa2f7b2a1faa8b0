package dev.voxgate.api;

import java.util.Optional;

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

    /**
     * Why {@link #isReady()} is false, for the operator ({@code /api/modules_info}, logs): a remote engine says its
     * remote does not answer or refuses the key. No secrets. Empty while ready.
     */
    default Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    void close();
}
