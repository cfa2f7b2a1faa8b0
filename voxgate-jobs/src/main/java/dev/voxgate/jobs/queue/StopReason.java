package dev.voxgate.jobs.queue;

/** Why a running transcription is being stopped. */
public enum StopReason {
    /** Cancelled on this node. */
    CANCELLED,
    /** The attempt no longer holds the row: cancelled from another node, or taken over. */
    LOST,
    /** {@code JOB_TIMEOUT_MINUTES} passed. */
    TIMED_OUT,
    /** This node is shutting down; the job goes back to the queue. */
    SHUTDOWN
}
