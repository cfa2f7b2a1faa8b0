package dev.voxgate.server.error;

import java.util.Objects;

/**
 * One failure as a client is told it: a catalogue code, the parameter at fault (or null) and a
 * sentence that names the cause and the fix. Messages are written for clients: never an exception's
 * text, a class name or a path on the server.
 */
public record ApiError(ErrorCode code, String param, String message) {
    public ApiError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public static ApiError of(ErrorCode code, String message) {
        return new ApiError(code, null, message);
    }

    public ApiException exception() {
        return new ApiException(this);
    }
}
