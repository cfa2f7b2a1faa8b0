package dev.voxgate.jobs;

/** What {@link TranscriptionJobs#cancel} did. */
public enum CancelOutcome {
    /** The job was queued: it is cancelled, out of the queue and its upload is deleted. It never runs. */
    CANCELLED,
    /**
     * The job was running: it is marked cancelled, and its worker stops at its next progress report
     * (at once on this node, within about a second on another) and deletes its files.
     */
    STOPPING,
    /** The job had been cancelled before: nothing changed. */
    ALREADY_CANCELLED,
    /** The job had finished (succeeded or failed): its files and its record are deleted. */
    DELETED,
    /** There is no such job (never was, or already deleted). */
    NOT_FOUND
}
