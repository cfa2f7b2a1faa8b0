package dev.voxgate.api;

import java.time.Duration;
import java.util.Optional;

/**
 * The other engines of the same process, for providers that compose engines (two-pass
 * recognition) instead of loading models of their own, so every model is loaded once and shared.
 *
 * <p>Threads: may be called from a provider's {@link SpeechEngineProvider#create} on a loader
 * thread; it waits for the named engine to finish loading.
 */
@FunctionalInterface
public interface EngineLookup {
    /** No other engines: what a provider sees when it is created on its own. */
    EngineLookup NONE = (id, timeout) -> Optional.empty();

    /**
     * The loaded streaming engine with this id, waiting up to {@code timeout} for it to load.
     *
     * @return empty when no such engine is installed, it failed to load, or it did not load in time
     */
    Optional<StreamingEngine> await(String id, Duration timeout) throws InterruptedException;
}
