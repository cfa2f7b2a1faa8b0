package dev.voxgate.jobs.storage;

import java.io.IOException;

/**
 * The local spool holds {@code SPOOL_MAX_MB} already (files waiting for S3, sessions being recorded): nothing more is
 * taken until it drains. Callers refuse the work with a clear error instead of dropping it.
 */
public class SpoolFullException extends IOException {
    public SpoolFullException(String message) {
        super(message);
    }
}
