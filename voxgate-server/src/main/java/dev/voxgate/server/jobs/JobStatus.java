package dev.voxgate.server.jobs;

import java.util.Locale;

/** Where a batch job stands. {@code succeeded}, {@code failed} and {@code cancelled} are final. */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
