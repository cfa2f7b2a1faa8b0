package dev.voxgate.api;

/**
 * A failure reported by an engine. The subtype says what kind, and {@link #code()} is the stable
 * error code clients see.
 */
public sealed abstract class EngineException extends Exception
        permits EngineUnavailableException, UnsupportedAudioException, RecognitionFailedException {

    protected EngineException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract String code();
}
