package dev.voxgate.jobs;

import dev.voxgate.jobs.db.DatabaseTarget;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the batch job back end, read from environment variables by {@link #fromEnvironment}.
 *
 * @param dataDir                 {@code DATA_DIR}: the SQLite file {@code voxgate.db} and the blob
 *                                folder {@code blobs/}. Default {@code $XDG_DATA_HOME/voxgate}, else
 *                                {@code ~/.local/share/voxgate} (as the README documents), not the
 *                                working directory: a service's data should not depend on where it was started
 * @param database                {@code DATABASE_URL}: empty → SQLite in {@code DATA_DIR/voxgate.db};
 *                                {@code postgresql://user:pass@host:port/db} (also {@code postgres://},
 *                                {@code jdbc:postgresql:}) → PostgreSQL, which several nodes can share
 * @param workerConcurrency       {@code WORKER_CONCURRENCY} (default: cores): jobs this process runs
 *                                at once; 0 accepts jobs and runs none (another node will)
 * @param jobTimeout              {@code JOB_TIMEOUT_MINUTES} (default 120): a job running longer fails, without retry
 * @param maxRetries              {@code JOB_MAX_RETRIES} (default 3): further attempts after a transient failure
 * @param uploadRetentionDays     {@code UPLOAD_RETENTION_DAYS} (default 7; 0 = keep): uploads are deleted after this
 * @param transcriptRetentionDays {@code TRANSCRIPT_RETENTION_DAYS} (default 30; 0 = keep): finished jobs
 *                                (their record and transcripts) are deleted this long after they finished
 * @param dashboardPort           {@code JOBS_DASHBOARD_PORT} (default 0 = off): JobRunr's dashboard, on
 *                                127.0.0.1 only, for operators who tunnel to it
 * @param timings                 queue timings; {@code JOB_POLL_SECONDS} sets the poll interval
 */
public record JobsConfig(Path dataDir, DatabaseTarget database, int workerConcurrency, Duration jobTimeout,
        int maxRetries,
                         int uploadRetentionDays, int transcriptRetentionDays, int dashboardPort, Timings timings) {

    public static final int CORES = Runtime.getRuntime().availableProcessors();

    /**
     * How JobRunr is driven. JobRunr looks for work every {@code pollInterval} (and this node starts a
     * job it submitted at once), and takes a node for dead when it has not been heard of for
     * {@code pollInterval × serverTimeoutMultiplier}; that node's running jobs then run elsewhere.
     *
     * @param pollInterval            at least 5 s (JobRunr's floor for SQL databases); default 5 s
     * @param serverTimeoutMultiplier at least 4 (JobRunr's floor); default 4, so a dead node's jobs move after about 20
     * s
     * @param retryBackoffSeedSeconds retry n waits seed^n seconds (JobRunr's exponential backoff); default 3 (3 s, 9 s,
     * 27 s)
     * @param shutdownGrace           on close, how long running jobs may finish before they are
     *                                interrupted and put back in the queue; default 10 s
     * @param retentionInterval       how often the retention clean-up runs; default 1 h
     */
    public record Timings(Duration pollInterval, int serverTimeoutMultiplier, int retryBackoffSeedSeconds,
                          Duration shutdownGrace, Duration retentionInterval) {
        public Timings {
            Objects.requireNonNull(pollInterval, "pollInterval");
            Objects.requireNonNull(shutdownGrace, "shutdownGrace");
            Objects.requireNonNull(retentionInterval, "retentionInterval");
            if (pollInterval.compareTo(Duration.ofSeconds(5)) < 0) {
                throw new JobsConfigException(
                        "JOB_POLL_SECONDS must be at least 5 (JobRunr's smallest poll interval for SQL databases), not "
                        + pollInterval.toSeconds());
            }
            if (serverTimeoutMultiplier < 4) throw new JobsConfigException(
                    "the server timeout multiplier must be at least 4 (JobRunr's floor)");
            if (retryBackoffSeedSeconds < 1) throw new JobsConfigException(
                    "the retry backoff seed must be at least 1 second");
            if (shutdownGrace.isNegative()) throw new JobsConfigException("the shutdown grace must not be negative");
            if (retentionInterval.compareTo(Duration.ofSeconds(5)) < 0) throw new JobsConfigException(
                    "the retention interval must be at least 5 s");
        }

        public static Timings defaults() {
            return new Timings(Duration.ofSeconds(5), 4, 3, Duration.ofSeconds(10), Duration.ofHours(1));
        }

        /** How long a silent node is given before its jobs run elsewhere. */
        public Duration serverTimeout() {
            return pollInterval.multipliedBy(serverTimeoutMultiplier);
        }

        public Timings withPollInterval(Duration d) {
            return new Timings(d, serverTimeoutMultiplier, retryBackoffSeedSeconds, shutdownGrace, retentionInterval);
        }

        public Timings withRetryBackoffSeedSeconds(int s) {
            return new Timings(pollInterval, serverTimeoutMultiplier, s, shutdownGrace, retentionInterval);
        }

        public Timings withShutdownGrace(Duration d) {
            return new Timings(pollInterval, serverTimeoutMultiplier, retryBackoffSeedSeconds, d, retentionInterval);
        }
    }

    public JobsConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(jobTimeout, "jobTimeout");
        Objects.requireNonNull(timings, "timings");
        if (workerConcurrency < 0) throw new JobsConfigException("WORKER_CONCURRENCY must not be negative");
        if (jobTimeout.isNegative()
                || jobTimeout.isZero()) throw new JobsConfigException("JOB_TIMEOUT_MINUTES must be positive");
        if (maxRetries < 0) throw new JobsConfigException("JOB_MAX_RETRIES must not be negative");
        if (uploadRetentionDays < 0) throw new JobsConfigException(
                "UPLOAD_RETENTION_DAYS must not be negative (0 keeps uploads)");
        if (transcriptRetentionDays < 0) throw new JobsConfigException(
                "TRANSCRIPT_RETENTION_DAYS must not be negative (0 keeps transcripts)");
        if (dashboardPort < 0
                || dashboardPort > 65535) throw new JobsConfigException(
                        "JOBS_DASHBOARD_PORT must be from 0 (off) to 65535");
    }

    /** Defaults everywhere, the data in {@code dataDir} (SQLite). */
    public static JobsConfig defaults(Path dataDir) {
        return new JobsConfig(dataDir, DatabaseTarget.parse(null, dataDir.resolve("voxgate.db")), CORES,
                Duration.ofMinutes(120), 3,
                7, 30, 0, Timings.defaults());
    }

    /**
     * Reads the settings from environment variables (or any map of them). Unset or blank variables
     * take their defaults.
     *
     * @throws JobsConfigException naming the variable, its value and what it accepts
     */
    public static JobsConfig fromEnvironment(Map<String, String> env) {
        Path dataDir = path(env, "DATA_DIR", defaultDataDir(env));
        DatabaseTarget database;
        try {
            database = DatabaseTarget.parse(env.get("DATABASE_URL"), dataDir.resolve("voxgate.db"));
        } catch (IllegalArgumentException e) {
            throw new JobsConfigException(e.getMessage());
        }
        return new JobsConfig(dataDir, database,
                integer(env, "WORKER_CONCURRENCY", CORES, 0, 1024),
                Duration.ofMinutes(integer(env, "JOB_TIMEOUT_MINUTES", 120, 1, 100_000)),
                integer(env, "JOB_MAX_RETRIES", 3, 0, 100),
                integer(env, "UPLOAD_RETENTION_DAYS", 7, 0, 36_500),
                integer(env, "TRANSCRIPT_RETENTION_DAYS", 30, 0, 36_500),
                integer(env, "JOBS_DASHBOARD_PORT", 0, 0, 65_535),
                Timings.defaults().withPollInterval(Duration.ofSeconds(integer(env, "JOB_POLL_SECONDS", 5, 5, 3600))));
    }

    /**
     * {@code $XDG_DATA_HOME/voxgate} when that is an absolute path (as the XDG spec demands), else {@code
     * ~/.local/share/voxgate}.
     */
    static Path defaultDataDir(Map<String, String> env) {
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) {
            try {
                Path p = Path.of(xdg.strip());
                if (p.isAbsolute()) return p.resolve("voxgate");
            } catch (InvalidPathException ignored) {
                // fall through to the home folder, as the spec says for invalid values
            }
        }
        return Path.of(System.getProperty("user.home"), ".local", "share", "voxgate");
    }

    /** Where the {@link dev.voxgate.jobs.storage.FileSystemBlobStore} keeps uploads and results. */
    public Path blobDir() {
        return dataDir.resolve("blobs");
    }

    public JobsConfig withDatabase(DatabaseTarget d) {
        return new JobsConfig(dataDir, d, workerConcurrency, jobTimeout, maxRetries, uploadRetentionDays,
                transcriptRetentionDays, dashboardPort, timings);
    }

    public JobsConfig withWorkerConcurrency(int n) {
        return new JobsConfig(dataDir, database, n, jobTimeout, maxRetries, uploadRetentionDays,
                transcriptRetentionDays, dashboardPort, timings);
    }

    public JobsConfig withJobTimeout(Duration d) {
        return new JobsConfig(dataDir, database, workerConcurrency, d, maxRetries, uploadRetentionDays,
                transcriptRetentionDays, dashboardPort, timings);
    }

    public JobsConfig withMaxRetries(int n) {
        return new JobsConfig(dataDir, database, workerConcurrency, jobTimeout, n, uploadRetentionDays,
                transcriptRetentionDays, dashboardPort, timings);
    }

    public JobsConfig withRetentionDays(int uploads, int transcripts) {
        return new JobsConfig(dataDir, database, workerConcurrency, jobTimeout, maxRetries, uploads, transcripts,
                dashboardPort, timings);
    }

    public JobsConfig withDashboardPort(int port) {
        return new JobsConfig(dataDir, database, workerConcurrency, jobTimeout, maxRetries, uploadRetentionDays,
                transcriptRetentionDays, port, timings);
    }

    public JobsConfig withTimings(Timings t) {
        return new JobsConfig(dataDir, database, workerConcurrency, jobTimeout, maxRetries, uploadRetentionDays,
                transcriptRetentionDays, dashboardPort, t);
    }

    private static int integer(Map<String, String> env, String name, int dflt, int min, int max) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return dflt;
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new JobsConfigException(name + " must be a whole number from " + min + " to " + max + ", not '"
                + v.strip() + "'");
    }

    private static Path path(Map<String, String> env, String name, Path dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return dflt;
        try {
            return Path.of(v.strip());
        } catch (InvalidPathException e) {
            throw new JobsConfigException(name + " is not a usable path: '" + v.strip() + "' (" + e.getReason() + ")");
        }
    }
}
