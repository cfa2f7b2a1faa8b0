package dev.voxgate.api;

/**
 * How a recognition session is opened.
 *
 * @param sampleRate rate of the PCM the session will be given; one of the engine's
 *                   {@link EngineCapabilities#sampleRates()}
 * @param language   requested language tag, or {@code null} for the engine's default
 */
public record SessionOptions(int sampleRate, String language) {
    public SessionOptions {
        if (sampleRate <= 0) throw new IllegalArgumentException("sampleRate must be positive: " + sampleRate);
    }
}
