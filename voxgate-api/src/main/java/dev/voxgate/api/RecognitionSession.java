package dev.voxgate.api;

/**
 * One stream of audio being recognised.
 *
 * <p>Lifecycle: {@link #accept} any number of times, then {@link #finish} once, then
 * {@link #close}. {@link #close} may also be called at any time to abandon the stream (a client
 * that disconnected); it releases native resources and is idempotent.
 *
 * <p>Threads: not thread-safe. The caller drives one session from one thread at a time, in
 * audio order. Listener callbacks happen on the calling thread during these calls.
 */
public interface RecognitionSession extends AutoCloseable {

    /** Feeds PCM in order; may emit partials and finals to the listener before returning. */
    void accept(AudioChunk chunk) throws EngineException;

    /**
     * Flushes: emits the finals for all audio accepted so far, then returns. No audio may be
     * accepted afterwards.
     */
    void finish() throws EngineException;

    /** Releases the session; pending results are dropped. Idempotent. */
    @Override
    void close();
}
