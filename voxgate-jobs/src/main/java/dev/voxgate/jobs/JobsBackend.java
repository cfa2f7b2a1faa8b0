package dev.voxgate.jobs;

import dev.voxgate.jobs.db.Database;
import dev.voxgate.jobs.db.JobRepository;
import dev.voxgate.jobs.queue.LoopbackDashboard;
import dev.voxgate.jobs.queue.RunningJobs;
import dev.voxgate.jobs.queue.TranscriptionWorker;
import dev.voxgate.jobs.retention.RetentionJob;
import dev.voxgate.jobs.retention.RetentionReport;
import dev.voxgate.jobs.retention.RetentionTask;
import dev.voxgate.jobs.storage.BlobStore;
import dev.voxgate.jobs.storage.FileSystemBlobStore;
import org.jobrunr.jobs.filters.JobFilter;
import org.jobrunr.jobs.filters.RetryFilter;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.server.configuration.BackgroundJobServerThreadType;
import org.jobrunr.server.configuration.DefaultBackgroundJobServerWorkerPolicy;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.storage.sql.sqlite.SqLiteStorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The batch job back end of one server process: database (migrated), blob store, JobRunr queue
 * with this node's workers, hourly retention, optional loopback dashboard. The server creates one
 * at start-up with {@link #start} and closes it at shutdown.
 *
 * <p>JobRunr is wired by hand, not through {@code JobRunr.configure()}, which keeps a scheduler in
 * static fields: two back ends in one JVM (tests of several nodes) then stay apart.
 */
public final class JobsBackend implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobsBackend.class);

    private final JobsConfig config;
    private final Database database;
    private final BlobStore blobs;
    private final StorageProvider storage;
    private final BackgroundJobServer server;
    private final LoopbackDashboard dashboard;
    private final ExecutorService waker;
    private final TranscriptionJobs jobs;
    private final RetentionTask retention;
    private final String nodeId;
    private final AtomicBoolean closed = new AtomicBoolean();

    private JobsBackend(JobsConfig config, Database database, BlobStore blobs, StorageProvider storage,
            BackgroundJobServer server,
                        LoopbackDashboard dashboard, ExecutorService waker, TranscriptionJobs jobs,
                        RetentionTask retention, String nodeId) {
        this.config = config;
        this.database = database;
        this.blobs = blobs;
        this.storage = storage;
        this.server = server;
        this.dashboard = dashboard;
        this.waker = waker;
        this.jobs = jobs;
        this.retention = retention;
        this.nodeId = nodeId;
    }

    /**
     * Opens the database (creating and migrating it as needed), starts {@code WORKER_CONCURRENCY}
     * workers (none when 0), registers the retention job and, when configured, the dashboard.
     *
     * @param transcriber does the real work of each job
     * @param clock       for timestamps and retention (tests pass a clock they control)
     * @throws IOException when the database or the data folder cannot be used; the message names it
     */
    public static JobsBackend start(JobsConfig config, FileTranscriber transcriber, Clock clock) throws IOException {
        BlobStore blobs;
        try {
            blobs = new FileSystemBlobStore(config.blobDir(), clock);
        } catch (IOException e) {
            throw new IOException("DATA_DIR=" + config.dataDir() + " is not usable: cannot create " + config.blobDir()
                    + " (" + e.getMessage() + ")", e);
        }
        return start(config, blobs, 0, transcriber, clock);
    }

    /**
     * As {@link #start(JobsConfig, FileTranscriber, Clock)}, with uploads and results in {@code blobs} (the server's
     * {@link dev.voxgate.jobs.storage.Storage}: a local folder or S3), and session archives under {@code sessions/}
     * deleted after {@code archiveRetentionDays} (0 keeps them).
     */
    public static JobsBackend start(JobsConfig config, BlobStore blobs, int archiveRetentionDays,
                                    FileTranscriber transcriber, Clock clock) throws IOException {
        Database database = Database.open(config.database(), config.workerConcurrency() + 6);
        BackgroundJobServer server = null;
        ExecutorService waker = null;
        StorageProvider storage = null;
        try {
            JobRepository repo = new JobRepository(database.dataSource());
            UUID serverId = UUID.randomUUID();
            // host/pid/random: two nodes in one JVM (tests) or a restarted pid stay distinct.
            String nodeId = hostName() + "/" + ProcessHandle.current().pid() + "/"
                    + serverId.toString().substring(0, 8);

            JsonMapper json = new JacksonJsonMapper();
            // JobRunr creates and migrates its own jobrunr_* tables here.
            storage = switch (database.vendor()) {
                case SQLITE -> new SqLiteStorageProvider(database.dataSource());
                case POSTGRESQL -> new PostgresStorageProvider(database.dataSource());
            };
            storage.setJobMapper(new JobMapper(json));
            // One retry more than JOB_MAX_RETRIES: the worker counts attempts itself and fails the job
            // when they are used up, so the extra run only happens after a crash of the last attempt.
            List<JobFilter> filters =
                    List.of(new RetryFilter(config.maxRetries() + 1, config.timings().retryBackoffSeedSeconds()));
            JobRequestScheduler scheduler = new JobRequestScheduler(storage, filters);

            RunningJobs running = new RunningJobs();
            TranscriptionWorker worker = new TranscriptionWorker(repo, blobs, transcriber, running, clock, nodeId,
                    config.jobTimeout(), config.maxRetries());
            RetentionTask retention =
                    new RetentionTask(repo, blobs, clock, config.uploadRetentionDays(),
                            config.transcriptRetentionDays(), archiveRetentionDays);
            // JobRunr asks for the handler class named in the stored job; without an activator it would
            // construct one with a no-arg constructor, without the database, store or transcriber.
            JobActivator activator = new JobActivator() {
                @Override
                public <T> T activateJob(Class<T> type) {
                    if (type == TranscriptionWorker.class) return type.cast(worker);
                    if (type == RetentionTask.class) return type.cast(retention);
                    return null;
                }
            };

            if (config.workerConcurrency() > 0) {
                JobsConfig.Timings t = config.timings();
                server = new BackgroundJobServer(storage, json, activator, BackgroundJobServerConfiguration
                        .usingStandardBackgroundJobServerConfiguration()
                        .andId(serverId)
                        .andName(nodeId.length() < 128 ? nodeId : nodeId.substring(0, 127))
                        // Platform threads: transcription is CPU-bound native work that would pin virtual threads.
                        .andBackgroundJobServerWorkerPolicy(new DefaultBackgroundJobServerWorkerPolicy(
                                config.workerConcurrency(), BackgroundJobServerThreadType.PlatformThreads))
                        .andPollInterval(t.pollInterval())
                        .andServerTimeoutPollIntervalMultiplicand(t.serverTimeoutMultiplier())
                        .andInterruptJobsAwaitDurationOnStopBackgroundJobServer(t.shutdownGrace()));
                server.setJobFilters(filters);
                server.start();
                waker = Executors.newSingleThreadExecutor(r -> {
                    Thread th = new Thread(r, "voxgate-jobs-wake");
                    th.setDaemon(true);
                    return th;
                });
            }
            scheduler.scheduleRecurrently(RetentionJob.RECURRING_ID, config.timings().retentionInterval(),
                    new RetentionJob());

            LoopbackDashboard dashboard = null;
            if (config.dashboardPort() > 0) {
                try {
                    dashboard = LoopbackDashboard.start(storage, json, config.dashboardPort());
                } catch (IOException e) {
                    throw new IOException("JOBS_DASHBOARD_PORT=" + config.dashboardPort()
                            + ": cannot listen on 127.0.0.1 (" + e.getMessage() + ")", e);
                }
            }
            TranscriptionJobs jobs =
                    new TranscriptionJobs(repo, blobs, scheduler, running, clock, wakeUp(server, waker));
            log.info("batch jobs: {} ({}), {} workers on node {}{}", database.description(),
                    blobs.getClass().getSimpleName(),
                    config.workerConcurrency(), nodeId,
                    dashboard == null ? "" : ", JobRunr dashboard on http://" + dashboard.address().getHostString() + ":" + dashboard.address().getPort() + "/dashboard");
            return new JobsBackend(config, database, blobs, storage, server, dashboard, waker, jobs, retention, nodeId);
        } catch (IOException | RuntimeException e) {
            if (waker != null) waker.shutdownNow();
            if (server != null) server.stop();
            if (storage != null) closeQuietly(storage);
            database.close();
            throw e;
        }
    }

    /**
     * Starts a job this node just queued at once instead of at the next poll (up to
     * {@code JOB_POLL_SECONDS} later). JobRunr has no public "look for work now"; a worker finishing
     * a job does exactly this (occupied → idle makes the steward fetch work), so the same two calls
     * are made here, off the caller's thread.
     */
    private static Runnable wakeUp(BackgroundJobServer server, ExecutorService waker) {
        if (server == null) return () -> { };
        return () -> {
            try {
                waker.execute(() -> {
                    try {
                        server.getJobSteward().notifyThreadOccupied();
                        server.getJobSteward().notifyThreadIdle();
                    } catch (RuntimeException e) {
                        log.debug("waking the workers failed; the next poll finds the job: {}", e.toString());
                    }
                });
            } catch (RejectedExecutionException closing) {
                // shutting down
            }
        };
    }

    public TranscriptionJobs jobs() {
        return jobs;
    }

    public BlobStore blobs() {
        return blobs;
    }

    public JobsConfig config() {
        return config;
    }

    /** This node's name in the {@code worker_id} column and in JobRunr's dashboard. */
    public String nodeId() {
        return nodeId;
    }

    /** {@code SQLITE} or {@code POSTGRESQL}. */
    public Database.Vendor databaseVendor() {
        return database.vendor();
    }

    /** True when the database answers, for the server's {@code /ready}. */
    public boolean isDatabaseReachable() {
        return database.isReachable();
    }

    /** Where the dashboard listens (always a loopback address), when it is on. */
    public Optional<InetSocketAddress> dashboardAddress() {
        return dashboard == null ? Optional.empty() : Optional.of(dashboard.address());
    }

    /** Runs the retention clean-up now (it also runs every hour through JobRunr). */
    public RetentionReport runRetention() throws IOException {
        try {
            return retention.runNow();
        } catch (SQLException e) {
            throw new JobDatabaseException("retention failed: " + e.getMessage(), e);
        }
    }

    /**
     * Stops this node: running jobs get the shutdown grace to finish, then are interrupted and put
     * back in the queue for another node or the next start; then the pool closes. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        if (dashboard != null) dashboard.close();
        if (waker != null) waker.shutdownNow();
        if (server != null) server.stop();
        closeQuietly(storage);
        database.close();
    }

    /**
     * Test hook: dies like a killed process. The pool closes first, so this node writes nothing
     * more (no "stopped" signal, no job state); its running jobs stay {@code running}/PROCESSING
     * until another node's JobRunr declares it dead after the server timeout.
     */
    void halt() {
        if (!closed.compareAndSet(false, true)) return;
        database.close();
        if (dashboard != null) dashboard.close();
        if (waker != null) waker.shutdownNow();
        try {
            if (server != null) server.stop();
        } catch (RuntimeException expected) {
            // its database is gone
        }
        closeQuietly(storage);
    }

    private static void closeQuietly(StorageProvider storage) {
        try {
            storage.close();
        } catch (RuntimeException e) {
            log.debug("closing JobRunr's storage provider: {}", e.toString());
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
