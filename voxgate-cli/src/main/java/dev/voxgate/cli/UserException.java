package dev.voxgate.cli;

import dev.voxgate.server.error.ApiError;

/** A problem the user can fix (a missing file, a bad URL); printed without a stack trace. */
final class UserException extends RuntimeException {
    UserException(String message) {
        super(message);
    }

    /** A refusal from the error catalogue: its code first, then the same message the server gives. */
    UserException(ApiError error) {
        super(error.code().code() + ": " + error.message());
    }
}
