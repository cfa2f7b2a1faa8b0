package dev.voxgate.audio.decode;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.audio.Pcm16;

/**
 * A piece of decoded mono 16-bit audio and where it lies in the file.
 *
 * @param sampleRate  the rate asked of the decoder
 * @param firstSample index of {@code samples[0]} counted from the start of the decoded audio
 * @param samples     owned by the chunk once constructed: the decoder never touches the array
 *                    again, and readers must not modify it
 */
public record PcmChunk(int sampleRate, long firstSample, short[] samples) {
    public PcmChunk {
        if (sampleRate <= 0) throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
        if (firstSample < 0) throw new IllegalArgumentException("first sample must not be negative: " + firstSample);
    }

    public double startSeconds() {
        return firstSample / (double) sampleRate;
    }

    public double seconds() {
        return samples.length / (double) sampleRate;
    }

    /** The index just after the last sample of this chunk. */
    public long endSample() {
        return firstSample + samples.length;
    }

    /** The same audio as little-endian bytes, as engines take it. */
    public AudioChunk toAudioChunk() {
        return new AudioChunk(Pcm16.toBytes(samples));
    }
}
