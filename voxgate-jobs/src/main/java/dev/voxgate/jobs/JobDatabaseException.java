package dev.voxgate.jobs;

import java.io.IOException;

/** The job database failed (unreachable, locked too long, …); the server answers 503. */
public final class JobDatabaseException extends IOException {
    public JobDatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
