package dev.voxgate.api;

/**
 * Receives what a {@link RecognitionSession} recognises.
 *
 * <p><b>What arrives.</b> Any number of partials and finals, in audio order. A final is never
 * empty: {@link #onFinal} is not called for an utterance in which nothing was recognised (silence,
 * noise), so {@link Segment#isEmpty()} is always false for the segment it is given and consumers
 * need not filter. Finals do not repeat: each span of audio is reported in at most one final, and
 * {@link RecognitionSession#finish()} reports the last one exactly once. Nothing arrives after
 * {@link RecognitionSession#finish()} has returned or {@link RecognitionSession#close()} has
 * returned.
 *
 * <p><b>Threads.</b> Called on the thread driving the session (the thread inside
 * {@link RecognitionSession#accept} or {@link RecognitionSession#finish}), during that call; never
 * concurrently for one session and never from an engine's own thread. Implementations must not
 * block for long (they run on a decoder thread) and must not wait for another thread that may be
 * closing the session.
 */
public interface RecognitionListener {
    /**
     * The current guess for the utterance in progress; replaces the previous partial. Engines
     * whose {@link EngineCapabilities#partials()} is false never call it.
     */
    default void onPartial(String text) {
    }

    /**
     * An utterance is final; ends the current partial run.
     *
     * @param segment never {@linkplain Segment#isEmpty() empty}; its times are seconds from the
     *                start of the session's audio and do not go back before the previous final's start
     */
    default void onFinal(Segment segment) {
    }
}
