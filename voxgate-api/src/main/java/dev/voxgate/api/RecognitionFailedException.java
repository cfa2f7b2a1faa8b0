package dev.voxgate.api;

/** The engine failed while recognising a stream that had started. */
public final class RecognitionFailedException extends EngineException {
    public RecognitionFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "engine_failure";
    }
}
