package dev.voxgate.jobs.queue;

import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

import java.util.Objects;
import java.util.UUID;

/**
 * What JobRunr stores for a transcription: only the job's id. Everything else is read from the
 * {@code jobs} row when the job runs, so the queue holds no user data and a record change needs no
 * queue migration. JobRunr serialises this with Jackson (a record works; its accessor-less handler
 * method is not a property because JobRunr's mapper only looks at fields).
 */
public record TranscribeJob(UUID jobId) implements JobRequest {
    public TranscribeJob {
        Objects.requireNonNull(jobId, "jobId");
    }

    @Override
    public Class<? extends JobRequestHandler<TranscribeJob>> getJobRequestHandler() {
        return TranscriptionWorker.class;
    }

    /** Shown as the job's name in JobRunr's dashboard. */
    @Override
    public String toString() {
        return jobId.toString();
    }
}
