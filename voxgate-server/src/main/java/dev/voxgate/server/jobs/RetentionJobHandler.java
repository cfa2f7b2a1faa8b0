package dev.voxgate.server.jobs;

import dev.voxgate.server.config.JobsConfig;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/** Deletes uploads older than UPLOAD_RETENTION_DAYS and transcripts older than TRANSCRIPT_RETENTION_DAYS (0 = keep). */
public final class RetentionJobHandler implements JobRequestHandler<RetentionJobRequest> {
    private static final Logger log = LoggerFactory.getLogger(RetentionJobHandler.class);
    private final JobStore store;
    private final BlobStore blobs;
    private final Clock clock;
    private final JobsConfig config;

    RetentionJobHandler(JobStore store, BlobStore blobs, Clock clock, JobsConfig config) {
        this.store = store;
        this.blobs = blobs;
        this.clock = clock;
        this.config = config;
    }

    @Override
    public void run(RetentionJobRequest request) throws Exception {
        int uploads = 0, results = 0;
        if (!config.uploadRetention().isZero()) {
            for (JobRecord j : store.withUploadsBefore(clock.instant().minus(config.uploadRetention()))) {
                blobs.deletePrefix("uploads/" + j.id());
                store.forgetUpload(j.id());
                uploads++;
            }
        }
        if (!config.transcriptRetention().isZero()) {
            for (JobRecord j : store.withResultsBefore(clock.instant().minus(config.transcriptRetention()))) {
                blobs.deletePrefix(j.resultPrefix());
                store.forgetResults(j.id());
                results++;
            }
        }
        if (uploads + results > 0) log.info("retention: deleted {} uploads and {} transcripts", uploads, results);
    }
}
