package dev.voxgate.jobs;

import java.util.Locale;

/**
 * Where a job is. {@code QUEUED → RUNNING → SUCCEEDED | FAILED}; a transient failure goes
 * {@code RUNNING → QUEUED} for another attempt; {@code QUEUED} or {@code RUNNING → CANCELLED} on
 * request. The last three are final.
 */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    /** True for {@code SUCCEEDED}, {@code FAILED} and {@code CANCELLED}: nothing more will happen to the job. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** The value stored in the database and shown by the API: {@code queued}, {@code running}, … */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
