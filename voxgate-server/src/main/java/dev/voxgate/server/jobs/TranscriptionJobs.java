package dev.voxgate.server.jobs;

import dev.voxgate.audio.decode.AudioProbe;
import dev.voxgate.server.batch.BatchTranscriber;
import dev.voxgate.server.config.JobsConfig;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.configuration.JobRunrConfiguration;
import org.jobrunr.jobs.filters.RetryFilter;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.storage.sql.sqlite.SqLiteStorageProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Durable batch transcription: uploads become rows in {@code jobs} plus a JobRunr job that
 * carries only the id. JobRunr keeps the queue in the same database, so jobs survive a restart,
 * several server processes on one PostgreSQL share the work, and a job whose node died is run
 * again by another after the node's server timeout.
 */
public final class TranscriptionJobs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TranscriptionJobs.class);

    public enum CancelOutcome { CANCELLED, ALREADY_FINISHED, NOT_FOUND }

    private final JobsDatabase database;
    private final JobStore store;
    private final BlobStore blobs;
    private final Clock clock;
    private final JobRequestScheduler scheduler;
    private final BackgroundJobServer server;

    private TranscriptionJobs(JobsDatabase database, JobStore store, BlobStore blobs, Clock clock,
                              JobRequestScheduler scheduler, BackgroundJobServer server) {
        this.database = database;
        this.store = store;
        this.blobs = blobs;
        this.clock = clock;
        this.scheduler = scheduler;
        this.server = server;
    }

    public static TranscriptionJobs start(JobsConfig config, Path dataDir, BatchTranscriber transcriber, Clock clock) throws IOException {
        JobsDatabase db = JobsDatabase.open(config.databaseUrl(), dataDir);
        JobStore store = new JobStore(db.dataSource());
        BlobStore blobs = new FileSystemBlobStore(dataDir.resolve("blobs"));
        // pid@host plus a random part: two servers in one JVM (tests) or a restarted pid stay distinct.
        String node = ProcessHandle.current().pid() + "@" + hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
        TranscriptionJobHandler handler = new TranscriptionJobHandler(store, blobs, transcriber, clock, config, node);
        RetentionJobHandler retention = new RetentionJobHandler(store, blobs, clock, config);
        StorageProvider storage = db.kind() == JobsDatabase.Kind.SQLITE
                ? new SqLiteStorageProvider(db.dataSource()) : new PostgresStorageProvider(db.dataSource());
        JobRunrConfiguration jobrunr = JobRunr.configure()
                .useStorageProvider(storage)
                .withJobFilter(new RetryFilter(config.maxRetries()))
                .useJobActivator(new JobActivator() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <T> T activateJob(Class<T> type) {
                        if (type == TranscriptionJobHandler.class) return (T) handler;
                        if (type == RetentionJobHandler.class) return (T) retention;
                        return null;
                    }
                });
        if (config.workers() > 0) {
            jobrunr.useBackgroundJobServer(BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                    .andWorkerCount(config.workers())
                    .andPollInterval(config.pollInterval())
                    .andName(node));
        }
        var result = jobrunr.initialize();
        JobRequestScheduler scheduler = result.getJobRequestScheduler();
        scheduler.scheduleRecurrently("voxgate-retention", Duration.ofHours(1), new RetentionJobRequest());
        log.info("batch jobs: {} database, {} workers on this node", db.kind(), config.workers());
        return new TranscriptionJobs(db, store, blobs, clock, scheduler, result.getBackgroundJobServer());
    }

    /** Takes over an uploaded file (moved into storage) and queues its transcription. */
    public JobRecord submit(Path uploaded, String displayName, long size, AudioProbe probe, String engine, String language,
                            List<String> formats) throws IOException {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        String uploadKey = "uploads/" + id + "/audio";
        blobs.putFile(uploadKey, uploaded);
        JobRecord job = new JobRecord(id, JobStatus.QUEUED, 0, engine, language, formats, displayName, probe.format(), size,
                probe.durationSeconds().isPresent() ? probe.durationSeconds().getAsDouble() : null,
                now, null, null, null, null, 0, uploadKey, null);
        store.insert(job);
        scheduler.enqueue(id, new TranscriptionJobRequest(id));
        return job;
    }

    public Optional<JobRecord> find(UUID id) {
        return store.find(id);
    }

    public JobStore.Page list(int page, int size) {
        return store.list(page, size);
    }

    /** Stops a queued or running job (a running one stops at its next progress check) and deletes its files. */
    public CancelOutcome cancel(UUID id) throws IOException {
        Optional<JobRecord> job = store.find(id);
        if (job.isEmpty()) return CancelOutcome.NOT_FOUND;
        boolean cancelled = store.markCancelled(id, clock.instant());
        if (cancelled) {
            try {
                scheduler.delete(id);
            } catch (RuntimeException e) {
                log.debug("job {} was no longer in the queue: {}", id, e.toString());
            }
            blobs.deletePrefix("uploads/" + id);
            blobs.deletePrefix("results/" + id);
            store.forgetUpload(id);
            store.forgetResults(id);
            return CancelOutcome.CANCELLED;
        }
        return CancelOutcome.ALREADY_FINISHED;
    }

    public Optional<InputStream> openResult(JobRecord job, String format) throws IOException {
        if (job.resultPrefix() == null) return Optional.empty();
        return blobs.open(job.resultPrefix() + "/transcript." + format);
    }

    @Override
    public void close() {
        if (server != null) server.stop();
        JobRunr.destroy();
        database.close();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
