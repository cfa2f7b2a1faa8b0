package dev.voxgate.engine.twopass;

import java.util.Arrays;

/**
 * The session's recent PCM, kept until the first engine has closed the utterance it belongs to.
 * Positions are absolute sample indexes from the start of the session. Bounded: audio older than
 * {@code maxSamples} is dropped (an utterance that long is cut by the second engine anyway).
 */
final class UtteranceAudio {
    private final int maxSamples;
    private byte[] pcm = new byte[64 * 1024];
    private int length; // bytes held
    private long start; // absolute sample index of pcm[0]

    UtteranceAudio(int maxSamples) {
        this.maxSamples = maxSamples;
    }

    void append(byte[] chunk) {
        if (length + chunk.length > pcm.length) pcm =
                Arrays.copyOf(pcm, Math.max(pcm.length * 2, length + chunk.length));
        System.arraycopy(chunk, 0, pcm, length, chunk.length);
        length += chunk.length;
        int excess = length / 2 - maxSamples;
        if (excess > 0) dropBefore(start + excess);
    }

    /** Absolute index of the first sample held. */
    long start() {
        return start;
    }

    /** Absolute index one past the last sample held. */
    long end() {
        return start + length / 2;
    }

    /** A copy of the samples in [from, to), clamped to what is held. */
    byte[] copy(long from, long to) {
        long a = Math.max(from, start), b = Math.min(to, end());
        if (b <= a) return new byte[0];
        return Arrays.copyOfRange(pcm, (int) (a - start) * 2, (int) (b - start) * 2);
    }

    /** Forgets the samples before {@code position}. */
    void dropBefore(long position) {
        long drop = Math.min(Math.max(0, position - start), length / 2L);
        if (drop == 0) return;
        int bytes = (int) drop * 2;
        System.arraycopy(pcm, bytes, pcm, 0, length - bytes);
        length -= bytes;
        start += drop;
    }
}
