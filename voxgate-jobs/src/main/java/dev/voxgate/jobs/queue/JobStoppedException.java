package dev.voxgate.jobs.queue;

import java.util.Locale;
import java.util.concurrent.CancellationException;

/** Thrown from the progress callback (and by the worker) when a transcription must stop. */
public final class JobStoppedException extends CancellationException {
    private final StopReason reason;

    public JobStoppedException(StopReason reason) {
        super("transcription stopped: " + reason.name().toLowerCase(Locale.ROOT));
        this.reason = reason;
    }

    public StopReason reason() {
        return reason;
    }
}
