package dev.voxgate.server.metrics;

import dev.voxgate.jobs.JobDatabaseException;
import dev.voxgate.jobs.TranscriptionJobs;
import dev.voxgate.jobs.db.JobRepository.ActiveCounts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code voxgate_jobs{status="queued"|"running"}}: the job queue as the shared database holds it, so every node
 * reports the cluster's queue (alert on it, or scale workers by it; sum by instance would count it twice). One
 * query answers both gauges and is reused for {@link #MAX_AGE}, so scrapes from several Prometheus servers do not
 * become a query each. A database that does not answer gives NaN (Prometheus's "no value"), never a stale count.
 */
public final class JobQueueMetrics {
    static final Duration MAX_AGE = Duration.ofSeconds(5);

    private final TranscriptionJobs jobs;
    private final Clock clock;
    private ActiveCounts last; // guarded by this
    private Instant lastAt = Instant.MIN; // guarded by this

    JobQueueMetrics(TranscriptionJobs jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    public static void register(MeterRegistry registry, TranscriptionJobs jobs, Clock clock) {
        JobQueueMetrics m = new JobQueueMetrics(jobs, clock);
        Gauge.builder("voxgate.jobs", m, JobQueueMetrics::queued).tag("status", "queued")
                .description("Jobs in the shared queue: waiting for a worker (queued) or being transcribed (running)")
                .register(registry);
        Gauge.builder("voxgate.jobs", m, JobQueueMetrics::running).tag("status", "running")
                .description("Jobs in the shared queue: waiting for a worker (queued) or being transcribed (running)")
                .register(registry);
    }

    double queued() {
        ActiveCounts c = counts();
        return c == null ? Double.NaN : c.queued();
    }

    double running() {
        ActiveCounts c = counts();
        return c == null ? Double.NaN : c.running();
    }

    private synchronized ActiveCounts counts() {
        Instant now = clock.instant();
        if (lastAt.plus(MAX_AGE).isAfter(now)) return last;
        try {
            last = jobs.activeCounts();
        } catch (JobDatabaseException e) {
            last = null;
        }
        lastAt = now;
        return last;
    }
}
