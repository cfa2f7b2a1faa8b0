package dev.voxgate.server.session;

import dev.voxgate.api.Segment;

/**
 * Sees what a session's engine sees: the audio exactly as the engine receives it (after any resampling) and the
 * finals it produces. The session archive is one; a tap never changes what the session does.
 *
 * <p>Threads: {@link #engineOpened}, {@link #engineAudio} and {@link #finalResult} are called on the session's lane
 * (a decoder thread), in order; {@link #ended} once, on whichever thread ends the session, possibly while a last
 * lane task still runs (a tap ignores what comes after it). Every method must return quickly and never block:
 * decoding waits for it.
 */
public interface SessionTap {
    SessionTap NONE = new SessionTap() {
    };

    /** The engine session is open and takes audio at {@code engineRate} Hz. */
    default void engineOpened(int engineRate) {
    }

    /** PCM16 little-endian mono at the engine's rate, as handed to the engine; the tap may keep the array. */
    default void engineAudio(byte[] pcm) {
    }

    /** A non-empty final, as sent to the client. */
    default void finalResult(Segment segment) {
    }

    /**
     * The session is over.
     *
     * @param outcome as in {@link SessionSummary#outcome()}
     */
    default void ended(String outcome) {
    }
}
