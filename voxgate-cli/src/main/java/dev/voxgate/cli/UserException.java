package dev.voxgate.cli;

import dev.voxgate.server.error.ApiError;

/** A problem the user can fix (a missing file, a bad URL); printed without a stack trace. */
final class UserException extends RuntimeException {
    UserException(String message) {
        super(message);
    }

    /** A refusal from the error catalogue: the same message the server gives, then its code. */
    UserException(ApiError error) {
        this(null, error);
    }

    /** As {@link #UserException(ApiError)}, about one file. */
    UserException(Object file, ApiError error) {
        super((file == null ? "" : file + ": ") + error.message() + " (" + error.code().code() + ")");
    }
}
