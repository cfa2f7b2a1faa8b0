package dev.voxgate.api;

/** An engine that recognises audio as it arrives. Batch transcription drives the same sessions, faster than real time. */
public interface StreamingEngine extends SpeechEngine {

    /**
     * Opens a recognition session.
     *
     * @throws UnsupportedAudioException when the sample rate or language is not supported
     * @throws EngineUnavailableException when the engine cannot take sessions now
     */
    RecognitionSession open(SessionOptions options, RecognitionListener listener) throws EngineException;
}
