package dev.voxgate.jobs.queue;

import java.io.IOException;

/** A job's upload is no longer in the store (retention, or deleted by hand): trying again cannot help. */
final class UploadMissingException extends IOException {
    UploadMissingException(String message) {
        super(message);
    }
}
