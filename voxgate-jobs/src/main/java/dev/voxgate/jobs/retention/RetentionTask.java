package dev.voxgate.jobs.retention;

import dev.voxgate.jobs.JobRecord;
import dev.voxgate.jobs.JobStatus;
import dev.voxgate.jobs.db.JobRepository;
import dev.voxgate.jobs.storage.BlobKey;
import dev.voxgate.jobs.storage.BlobStore;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Deletes what is past its retention (run hourly by JobRunr, on one node of the cluster):
 * <ul>
 *   <li>uploads stored more than {@code UPLOAD_RETENTION_DAYS} ago, unless a queued or running job
 *       still needs them (also uploads no job knows, left by a crash between storing and recording);</li>
 *   <li>finished jobs (succeeded, failed, cancelled) that finished more than
 *       {@code TRANSCRIPT_RETENTION_DAYS} ago: their transcripts, any upload left, and the record;
 *       also result files no job knows;</li>
 *   <li>session archives ({@code sessions/…}: audio, sidecar and the id index) stored more than
 *       {@code ARCHIVE_RETENTION_DAYS} ago.</li>
 * </ul>
 * 0 days keeps that kind for ever. Times come from the injected clock (the stores record it when
 * they store an object), so tests move time instead of waiting.
 */
public final class RetentionTask implements JobRequestHandler<RetentionJob> {
    private static final Logger log = LoggerFactory.getLogger(RetentionTask.class);
    private static final int BATCH = 500;

    private final JobRepository repo;
    private final BlobStore blobs;
    private final Clock clock;
    private final int uploadDays;
    private final int transcriptDays;
    private final int archiveDays;

    public RetentionTask(JobRepository repo, BlobStore blobs, Clock clock, int uploadDays, int transcriptDays) {
        this(repo, blobs, clock, uploadDays, transcriptDays, 0);
    }

    /** @param archiveDays {@code ARCHIVE_RETENTION_DAYS}: session archives ({@code sessions/}) older are deleted */
    public RetentionTask(JobRepository repo, BlobStore blobs, Clock clock, int uploadDays, int transcriptDays,
                         int archiveDays) {
        this.repo = repo;
        this.blobs = blobs;
        this.clock = clock;
        this.uploadDays = uploadDays;
        this.transcriptDays = transcriptDays;
        this.archiveDays = archiveDays;
    }

    @Override
    @Job(name = "retention clean-up")
    public void run(RetentionJob ignored) throws Exception {
        runNow();
    }

    /** One clean-up pass. */
    public RetentionReport runNow() throws IOException, SQLException {
        Instant now = clock.instant();
        int uploads = 0;
        int resultFiles = 0;
        int jobs = 0;
        if (transcriptDays > 0) {
            Instant cutoff = now.minus(Duration.ofDays(transcriptDays));
            List<JobRecord> expired;
            do {
                expired = repo.finishedBefore(cutoff, BATCH);
                for (JobRecord j : expired) {
                    // The record goes first: nobody is then shown a job whose files are half gone.
                    if (!repo.delete(j.id(),
                            EnumSet.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED))) continue;
                    jobs++;
                    resultFiles += blobs.deletePrefix(BlobKey.resultPrefix(j.id()));
                    if (j.uploadKey() != null && blobs.delete(BlobKey.of(j.uploadKey()))) uploads++;
                }
            } while (expired.size() == BATCH);
            for (BlobKey key : blobs.listOlderThan(BlobKey.RESULTS, cutoff)) {
                // Any job's, whichever key owns it: retention is not on anyone's behalf.
                Optional<UUID> jobId = jobIdOfResult(key);
                if ((jobId.isEmpty() || repo.find(jobId.get()).isEmpty()) && blobs.delete(key)) resultFiles++;
            }
        }
        if (uploadDays > 0) {
            Instant cutoff = now.minus(Duration.ofDays(uploadDays));
            for (BlobKey key : blobs.listOlderThan(BlobKey.UPLOADS, cutoff)) {
                if (repo.isUploadInUse(key.value())) continue;
                if (blobs.delete(key)) uploads++;
                repo.clearUpload(key.value());
            }
        }
        int archives = 0;
        if (archiveDays > 0) {
            Instant cutoff = now.minus(Duration.ofDays(archiveDays));
            for (BlobKey key : blobs.listOlderThan(BlobKey.SESSIONS, cutoff)) {
                if (blobs.delete(key)) archives++;
            }
        }
        RetentionReport report = new RetentionReport(uploads, resultFiles, jobs, archives);
        if (uploads + resultFiles + jobs + archives > 0) log.info("retention: deleted {}", report);
        return report;
    }

    /** {@code results/<id>/…} → id; empty for a key of another shape. */
    private static Optional<UUID> jobIdOfResult(BlobKey key) {
        String[] parts = key.value().split("/");
        try {
            return parts.length > 2 ? Optional.of(UUID.fromString(parts[1])) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
