package dev.voxgate.jobs.retention;

import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

/** The recurring JobRunr job that runs {@link RetentionTask}; it carries nothing. */
public record RetentionJob() implements JobRequest {
    /** The recurring job's id: every node registers the same one, so it runs once per interval in the cluster. */
    public static final String RECURRING_ID = "voxgate-retention";

    @Override
    public Class<? extends JobRequestHandler<RetentionJob>> getJobRequestHandler() {
        return RetentionTask.class;
    }
}
