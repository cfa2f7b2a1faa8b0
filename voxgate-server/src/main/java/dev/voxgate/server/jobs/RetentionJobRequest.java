package dev.voxgate.server.jobs;

import org.jobrunr.jobs.lambdas.JobRequest;

/** The hourly clean-up of old uploads and transcripts. */
public record RetentionJobRequest() implements JobRequest {
    @Override
    public Class<RetentionJobHandler> getJobRequestHandler() {
        return RetentionJobHandler.class;
    }
}
