package dev.voxgate.jobs.storage;

import java.io.IOException;

/** The remote store (S3) could not be reached or refused the request; trying again later may succeed. */
public class StorageUnavailableException extends IOException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
