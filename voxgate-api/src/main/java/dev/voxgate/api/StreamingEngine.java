package dev.voxgate.api;

/**
 * An engine that recognises audio as it arrives. Batch transcription drives the same sessions,
 * faster than real time.
 *
 * <p>Thread-safe: any number of sessions may be opened and driven at once, each on its own
 * thread. See {@link RecognitionSession} for a session's lifecycle and threads and
 * {@link RecognitionListener} for what it emits.
 */
public interface StreamingEngine extends SpeechEngine {

    /**
     * Opens a recognition session. Checks the options before anything is allocated: a request the
     * engine cannot serve is refused here, never by failing later on the audio.
     *
     * @param options  a sample rate among {@link EngineCapabilities#sampleRates()} (callers resample
     *                 any other rate to {@link EngineCapabilities#preferredSampleRate()}), and a
     *                 language that {@link EngineCapabilities#supportsLanguage} accepts, or null
     * @param listener receives the session's results on the thread that drives the session
     * @throws UnsupportedAudioException when the sample rate or the language is not one the engine
     *                                   takes; the message names what was asked and what it takes
     * @throws EngineUnavailableException when the engine cannot take sessions now (shut down,
     *                                    remote unreachable)
     */
    RecognitionSession open(SessionOptions options, RecognitionListener listener) throws EngineException;
}
