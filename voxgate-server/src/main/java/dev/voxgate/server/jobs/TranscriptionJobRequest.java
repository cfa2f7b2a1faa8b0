package dev.voxgate.server.jobs;

import org.jobrunr.jobs.lambdas.JobRequest;

import java.util.UUID;

/** What JobRunr stores for a batch job: only its id; everything else is in the {@code jobs} table. */
public record TranscriptionJobRequest(UUID jobId) implements JobRequest {
    @Override
    public Class<TranscriptionJobHandler> getJobRequestHandler() {
        return TranscriptionJobHandler.class;
    }
}
