package dev.voxgate.api;

/** The requested sample rate or language is not something this engine handles. */
public final class UnsupportedAudioException extends EngineException {
    public UnsupportedAudioException(String message) {
        super(message, null);
    }

    @Override
    public String code() {
        return "unsupported_audio";
    }
}
