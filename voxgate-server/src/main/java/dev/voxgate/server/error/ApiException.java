package dev.voxgate.server.error;

/** Carries an {@link ApiError} out of domain code to the edge that maps it; no stack trace is filled. */
public final class ApiException extends Exception {
    private final ApiError error;

    public ApiException(ApiError error) {
        super(error.code().code() + ": " + error.message(), null, false, false);
        this.error = error;
    }

    public ApiException(ErrorCode code, String param, String message) {
        this(new ApiError(code, param, message));
    }

    public ApiError error() {
        return error;
    }
}
