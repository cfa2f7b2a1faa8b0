package dev.voxgate.cli;

/** A problem the user can fix (a missing file, a bad URL); printed without a stack trace. */
final class UserException extends RuntimeException {
    UserException(String message) {
        super(message);
    }
}
