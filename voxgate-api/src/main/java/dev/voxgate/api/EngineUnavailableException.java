package dev.voxgate.api;

/** The engine cannot take work now: model missing or not loaded, remote unreachable. Another engine may. */
public final class EngineUnavailableException extends EngineException {
    public EngineUnavailableException(String message) {
        this(message, null);
    }

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "engine_unavailable";
    }
}
