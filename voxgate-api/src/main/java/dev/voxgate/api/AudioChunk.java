package dev.voxgate.api;

/**
 * Immutable PCM audio: signed 16-bit little-endian, mono, at the session's sample rate.
 *
 * <p>The array is owned by the chunk once constructed: whoever builds a chunk hands over a
 * buffer it will never write again, and readers must not modify it. This is what lets audio
 * cross from the network thread to a decoder thread without copying twice.
 */
public record AudioChunk(byte[] pcm) {
    public AudioChunk {
        if ((pcm.length & 1) != 0) throw new IllegalArgumentException("PCM16 chunk has an odd byte count: "
                + pcm.length);
    }

    public int samples() {
        return pcm.length / 2;
    }

    public double seconds(int sampleRate) {
        return samples() / (double) sampleRate;
    }
}
