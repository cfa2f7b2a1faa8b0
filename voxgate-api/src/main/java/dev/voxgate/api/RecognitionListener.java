package dev.voxgate.api;

/**
 * Receives what a {@link RecognitionSession} recognises.
 *
 * <p>Called on the thread that drives the session (the thread calling
 * {@link RecognitionSession#accept} or {@link RecognitionSession#finish}); never concurrently
 * for one session. Implementations must not block for long: they run on a decoder thread.
 */
public interface RecognitionListener {
    /** The current guess for the utterance in progress; replaces the previous partial. */
    default void onPartial(String text) {
    }

    /** An utterance is final; ends the current partial run. */
    default void onFinal(Segment segment) {
    }
}
