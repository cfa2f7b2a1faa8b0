package dev.voxgate.server.config;

import java.time.Duration;

/**
 * The batch job queue.
 *
 * @param databaseUrl       {@code DATABASE_URL}: empty for SQLite in {@code DATA_DIR/voxgate.db}, or a
 *                          {@code postgresql://user:pass@host:port/db} URL (also {@code postgres://}, {@code jdbc:postgresql:})
 * @param workers           {@code WORKER_CONCURRENCY}: jobs run at once by this process
 * @param jobTimeout        {@code JOB_TIMEOUT_MINUTES}: a job running longer fails
 * @param maxRetries        {@code JOB_MAX_RETRIES}: retries of transient failures (engine not loaded, I/O)
 * @param uploadRetention   {@code UPLOAD_RETENTION_DAYS}: uploads of finished jobs are deleted after this (0 = keep)
 * @param transcriptRetention {@code TRANSCRIPT_RETENTION_DAYS}: transcripts are deleted after this (0 = keep)
 * @param pollInterval      {@code JOB_POLL_SECONDS}: how often workers look for jobs; a dead node's jobs are
 *                          picked up after four of these
 */
public record JobsConfig(String databaseUrl, int workers, Duration jobTimeout, int maxRetries,
                         Duration uploadRetention, Duration transcriptRetention, Duration pollInterval) {

    static JobsConfig from(Settings s) {
        return new JobsConfig(
                s.string("DATABASE_URL", ""),
                s.integer("WORKER_CONCURRENCY", ServerConfig.CORES, 0, 1024),
                Duration.ofMinutes(s.integer("JOB_TIMEOUT_MINUTES", 120, 1, 100_000)),
                s.integer("JOB_MAX_RETRIES", 3, 0, 100),
                Duration.ofDays(s.integer("UPLOAD_RETENTION_DAYS", 7, 0, 100_000)),
                Duration.ofDays(s.integer("TRANSCRIPT_RETENTION_DAYS", 30, 0, 100_000)),
                Duration.ofSeconds(s.integer("JOB_POLL_SECONDS", 5, 5, 3600)));
    }
}
