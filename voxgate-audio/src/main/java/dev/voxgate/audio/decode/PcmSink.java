package dev.voxgate.audio.decode;

/**
 * Receives decoded audio from {@link AudioFileDecoder#decode}, on the decoding thread, in this
 * order: {@link #started} once, then {@link #accept} and {@link #progress} alternately.
 *
 * <p>An unchecked exception thrown here stops decoding and comes out of {@code decode}
 * unchanged: the way to cancel or to enforce a length limit.
 */
@FunctionalInterface
public interface PcmSink {

    /** Called once, before any audio, with what the file's headers say. */
    default void started(AudioProbe probe) {
    }

    /** The next consecutive piece of audio; the chunk is the sink's to keep. */
    void accept(PcmChunk chunk);

    /**
     * The fraction of the file decoded so far, in [0, 1], never decreasing: from timestamps
     * against the duration when the file announces one, else from the bytes read. Exactly 1.0
     * is reported once, after the last chunk, when the whole file has been read.
     */
    default void progress(double fraction) {
    }
}
