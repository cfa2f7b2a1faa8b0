package dev.voxgate.api;

/**
 * One stream of audio being recognised.
 *
 * <p><b>Lifecycle.</b> {@link #accept} any number of times, then {@link #finish} once, then
 * {@link #close}. {@link #close} may also come at any point to abandon the stream (a client that
 * disconnected, a cancelled job), with or without {@link #finish} before it.
 * <ul>
 *   <li>{@link #finish} emits the finals for all audio not yet reported — the last final, if the
 *       stream ended inside an utterance — exactly once, before it returns. After it returns the
 *       session emits nothing more: a second {@link #finish} is a no-op, and {@link #close}
 *       releases the session without emitting.</li>
 *   <li>Audio after {@link #finish} or {@link #close}, and {@link #finish} after {@link #close},
 *       are refused with {@link IllegalStateException} (a caller's bug, not an engine failure);
 *       nothing is emitted for them.</li>
 *   <li>{@link #close} is idempotent and never throws. Once it has returned, no
 *       {@link RecognitionListener} callback is running and none will be made.</li>
 * </ul>
 *
 * <p><b>Threads.</b> Not thread-safe for {@link #accept} and {@link #finish}: one thread at a time
 * drives a session (the caller may hand it from thread to thread, as the server's decoder pool
 * does), in audio order. Listener callbacks are made only on that driving thread, inside
 * {@link #accept} or {@link #finish}, never concurrently and never after the call returned.
 * {@link #close} may be called from the driving thread or, to abandon the stream, from any other
 * thread while an {@link #accept} or {@link #finish} is running; it then waits for a callback in
 * progress to return (listeners must not block on the closing thread), and the running call
 * returns early or throws without emitting anything more.
 *
 * <p><b>Chunking.</b> How the audio is cut into chunks does not change what is recognised: a
 * stream fed one sample at a time gives the same words, within the engine's run-to-run noise, as
 * the same stream fed in tenths of a second.
 *
 * <p>{@code SpeechEngineContract} in {@code voxgate-engine-testkit} checks all of this on real
 * speech; every engine module extends it.
 */
public interface RecognitionSession extends AutoCloseable {

    /**
     * Feeds the next PCM of the stream, in order; may emit partials and finals to the listener
     * before returning. A chunk may hold any even number of bytes, down to one sample.
     *
     * @throws IllegalStateException after {@link #finish} or {@link #close}
     * @throws EngineException       when the engine fails; the caller then closes the session
     */
    void accept(AudioChunk chunk) throws EngineException;

    /**
     * Ends the stream: emits the finals for all audio accepted so far (at most one final per
     * utterance, none for silence), then returns. Afterwards the session emits nothing, accepts no
     * audio, and a second call does nothing.
     *
     * @throws IllegalStateException after {@link #close}
     * @throws EngineException       when the engine fails while flushing
     */
    void finish() throws EngineException;

    /**
     * Releases the session (native memory, a remote connection); results not yet emitted are
     * dropped. Idempotent, never throws, callable from any thread; when it returns, no callback is
     * in progress and none follows.
     */
    @Override
    void close();
}
