package dev.voxgate.audio;

/**
 * Mono 16-bit audio held in memory.
 *
 * @param samples owned by this record once constructed; do not modify
 */
public record PcmAudio(int sampleRate, short[] samples) {
    public PcmAudio {
        if (sampleRate <= 0) throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
    }

    public double seconds() {
        return samples.length / (double) sampleRate;
    }

    public byte[] toBytes() {
        return Pcm16.toBytes(samples);
    }

    /** This audio at another rate (a copy unless the rate is already right). */
    public PcmAudio resampledTo(int targetRate) {
        if (targetRate == sampleRate) return this;
        return new PcmAudio(targetRate, Resampler.resampleAll(samples, sampleRate, targetRate));
    }
}
