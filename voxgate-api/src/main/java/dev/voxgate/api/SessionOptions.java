package dev.voxgate.api;

/**
 * How a recognition session is opened.
 *
 * @param sampleRate     rate of the PCM the session will be given; one of the engine's
 *                       {@link EngineCapabilities#sampleRates()}
 * @param language       requested language tag, or {@code null} for the engine's default
 * @param wholeRecording the session is fed a whole recording (a file), not live audio: nobody waits
 *                       for finals while it runs, so an engine may hold audio back and decode it in
 *                       the pieces that recognise best (the Whisper engine decodes up to 30 s at
 *                       once). Finals still come in order and by {@link RecognitionSession#finish()}.
 */
public record SessionOptions(int sampleRate, String language, boolean wholeRecording) {
    public SessionOptions {
        if (sampleRate <= 0) throw new IllegalArgumentException("sampleRate must be positive: " + sampleRate);
    }

    /** A live session: audio arrives as it is spoken and finals are wanted as soon as possible. */
    public SessionOptions(int sampleRate, String language) {
        this(sampleRate, language, false);
    }
}
