package dev.voxgate.jobs.queue;

import dev.voxgate.audio.transcribe.Transcript;
import dev.voxgate.jobs.FileTranscriber;
import dev.voxgate.jobs.JobRecord;
import dev.voxgate.jobs.JobStatus;
import dev.voxgate.jobs.storage.BlobKey;
import dev.voxgate.jobs.storage.BlobStore;
import dev.voxgate.jobs.db.JobRepository;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.jobrunr.server.runner.ThreadLocalJobContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleConsumer;

/**
 * Runs one attempt of a transcription job on a JobRunr worker thread. JobRunr gets this instance
 * (with its dependencies) from the back end's {@code JobActivator}, never a no-arg constructed one.
 *
 * <p>An attempt: read the row (nothing to do if it is final or gone), claim it with a conditional
 * update, transcribe on a thread of its own with a deadline, store the results, mark it succeeded.
 * A permanent failure or the time limit fails the row and returns normally, so JobRunr does not
 * retry; a transient failure puts the row back to {@code queued} and rethrows, so JobRunr retries
 * with its backoff; when the attempts are used up the row fails instead.
 *
 * <p>Attempts are numbered by JobRunr's failed states (1 + failures so far). A node that dies mid-job
 * leaves the row {@code running}; JobRunr marks the job failed after the server timeout and retries
 * it elsewhere, and that later attempt number may take the row over. JobRunr retries one time more
 * than {@code JOB_MAX_RETRIES} so that even a crash of the last allowed attempt is followed by a run
 * that sees the attempts are used up and fails the row, leaving nothing {@code running} for ever.
 */
public final class TranscriptionWorker implements JobRequestHandler<TranscribeJob> {
    private static final Logger log = LoggerFactory.getLogger(TranscriptionWorker.class);

    private final JobRepository repo;
    private final BlobStore blobs;
    private final ResultWriter results;
    private final FileTranscriber transcriber;
    private final RunningJobs running;
    private final Clock clock;
    private final String workerId;
    private final Duration timeout;
    private final int maxAttempts;

    public TranscriptionWorker(JobRepository repo, BlobStore blobs, FileTranscriber transcriber, RunningJobs running,
            Clock clock,
                               String workerId, Duration timeout, int maxRetries) {
        this.repo = repo;
        this.blobs = blobs;
        this.results = new ResultWriter(blobs);
        this.transcriber = transcriber;
        this.running = running;
        this.clock = clock;
        this.workerId = workerId;
        this.timeout = timeout;
        this.maxAttempts = maxRetries + 1;
    }

    @Override
    @Job(name = "transcribe %0")
    public void run(TranscribeJob request) throws Exception {
        int attempt = ThreadLocalJobContext.getJobContext().amountOfFailures() + 1;
        process(request.jobId(), attempt);
    }

    /** One attempt; {@code attempt} is 1 for the first run, and grows with each retry. */
    void process(UUID id, int attempt) throws Exception {
        Optional<JobRecord> found = repo.find(id);
        if (found.isEmpty()) {
            log.info("job {} no longer exists; nothing to do", id);
            return;
        }
        JobRecord job = found.get();
        switch (job.status()) {
            case SUCCEEDED, FAILED -> {
                return;
            }
            case CANCELLED -> {
                deleteFiles(job);
                return;
            }
            case QUEUED, RUNNING -> {
                // go on
            }
        }
        if (job.attempts() >= maxAttempts) {
            // Every allowed attempt started and none ended the job: they died with their nodes.
            String last = job.errorMessage() == null ? "" : "; last error: " + job.errorMessage();
            if (repo.failUnclaimed(id, clock.instant(), "attempts_exhausted",
                    "gave up after " + job.attempts() + " attempts (JOB_MAX_RETRIES=" + (maxAttempts - 1) + ")"
                    + last)) {
                log.warn("job {} failed: its {} attempts are used up", id, job.attempts());
            }
            return;
        }
        if (!repo.claim(id, attempt, workerId, clock.instant())) {
            log.info("job {} attempt {}: the row is held by another attempt or changed; nothing to do", id, attempt);
            return;
        }
        int attemptsSoFar = job.attempts() + 1;
        log.info("job {} attempt {} started on {}", id, attemptsSoFar, workerId);
        RunningJobs.Signal signal = running.register(id);
        try {
            Transcript transcript = transcribe(job, attempt, signal);
            var keys = results.write(id, transcript, job.request());
            if (repo.succeed(id, attempt, clock.instant(), transcript.durationSeconds(), keys)) {
                log.info("job {} succeeded: {} s of audio", id,
                        String.format(Locale.ROOT, "%.1f", transcript.durationSeconds()));
            } else {
                afterLosingTheRow(id);
            }
        } catch (JobStoppedException stopped) {
            switch (stopped.reason()) {
                case TIMED_OUT -> failOrCleanUp(id, attempt, "job_timeout", "the transcription took longer than the "
                        + describe(timeout)
                        + " that JOB_TIMEOUT_MINUTES allows; it was stopped and will not be retried");
                case CANCELLED, LOST -> afterLosingTheRow(id);
                case SHUTDOWN -> {
                    requeueAfterShutdown(id, attempt);
                    throw new InterruptedException("this node is stopping");
                }
            }
        } catch (InterruptedException e) {
            // JobRunr interrupts its workers when this node stops (after the shutdown grace): give the job back.
            requeueAfterShutdown(id, attempt);
            throw e;
        } catch (Exception e) {
            Failure f = Failure.classify(e);
            if (f.permanent()) {
                log.info("job {} failed for good: {} ({})", id, f.code(), f.message());
                failOrCleanUp(id, attempt, f.code(), f.message());
            } else if (attemptsSoFar >= maxAttempts) {
                log.warn("job {} failed after {} attempts: {}", id, attemptsSoFar, f.message(), e);
                failOrCleanUp(id, attempt, f.code(), f.message() + " (gave up after " + attemptsSoFar + " attempts)");
            } else {
                log.warn("job {} attempt {} failed, JobRunr will retry it: {}", id, attemptsSoFar, f.message());
                if (!repo.requeue(id, attempt, f.code(), f.message())) {
                    afterLosingTheRow(id);
                    return;
                }
                throw e;
            }
        } finally {
            running.unregister(id, signal);
        }
    }

    /**
     * Runs the transcriber on its own thread so that the deadline holds even when it never reports
     * progress: past the deadline its thread is interrupted and its next progress report throws.
     */
    private Transcript transcribe(JobRecord job, int attempt, RunningJobs.Signal signal) throws Exception {
        UUID id = job.id();
        long deadline = System.nanoTime() + timeout.toNanos();
        BlobStore.LocalBlob local;
        try {
            if (job.uploadKey() == null) throw new NoSuchFileException(id.toString());
            local = blobs.openLocal(BlobKey.of(job.uploadKey()));
        } catch (NoSuchFileException e) {
            throw new UploadMissingException(
                    "the uploaded file is no longer stored (deleted after UPLOAD_RETENTION_DAYS or by hand); upload "
                            + "it again");
        }
        try (BlobStore.LocalBlob audio = local) {
            ProgressThrottle throttle = new ProgressThrottle(System.nanoTime());
            DoubleConsumer progress = fraction -> {
                StopReason r = signal.reason();
                if (r != null) throw new JobStoppedException(r);
                int percent = ProgressThrottle.percent(fraction);
                if (!throttle.shouldWrite(percent, System.nanoTime())) return;
                boolean ours;
                try {
                    ours = repo.progress(id, attempt, percent);
                } catch (SQLException e) {
                    log.warn("job {}: progress not saved: {}", id, e.getMessage());
                    return;
                }
                if (!ours) {
                    signal.stop(StopReason.LOST);
                    throw new JobStoppedException(StopReason.LOST);
                }
            };
            // A FutureTask, not a CompletableFuture: the latter turns a CancellationException thrown by the
            // transcriber (our JobStoppedException) into "the future was cancelled" and loses it.
            FutureTask<Transcript> result =
                    new FutureTask<>(() -> transcriber.transcribe(audio.path(), job.request(), progress));
            Thread thread = Thread.ofPlatform().daemon().name("voxgate-transcribe-" + id).unstarted(result);
            signal.attach(thread);
            thread.start();
            try {
                return result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                signal.stop(StopReason.TIMED_OUT);
                awaitEnd(thread, id);
                throw new JobStoppedException(signal.reason()); // TIMED_OUT unless a cancel came first
            } catch (InterruptedException e) {
                signal.stop(StopReason.SHUTDOWN);
                awaitEnd(thread, id);
                throw e;
            } catch (ExecutionException e) {
                StopReason r = signal.reason();
                if (r != null) throw new JobStoppedException(r);
                if (e.getCause() instanceof Exception cause) throw cause;
                throw e;
            }
        }
    }

    /** Gives a stopped transcription a moment to end before its file handle is closed. */
    private static void awaitEnd(Thread t, UUID id) {
        try {
            t.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) log.warn("job {}: the transcriber ignores interruption and still runs on thread {}", id,
                t.getName());
    }

    private void failOrCleanUp(UUID id, int attempt, String code, String message) throws SQLException, IOException {
        if (!repo.fail(id, attempt, clock.instant(), code, message)) afterLosingTheRow(id);
    }

    private void requeueAfterShutdown(UUID id, int attempt) throws SQLException, IOException {
        Thread.interrupted(); // the database calls below must not see the interrupt
        if (!repo.requeue(id, attempt, "interrupted",
                "the node stopped while the job ran; it will run again")) afterLosingTheRow(id);
        log.info("job {} given back to the queue: this node is stopping", id);
    }

    /**
     * This attempt no longer holds the row. If it was cancelled, its files go; if another attempt
     * took it over, that one owns the files and nothing is touched.
     */
    private void afterLosingTheRow(UUID id) throws SQLException, IOException {
        Optional<JobRecord> now = repo.find(id);
        if (now.isPresent() && now.get().status() == JobStatus.CANCELLED) {
            log.info("job {} stopped: cancelled", id);
            deleteFiles(now.get());
        } else {
            log.info("job {}: this attempt lost the row (now {}); leaving it", id,
                    now.map(j -> j.status().code()).orElse("deleted"));
        }
    }

    /** Deletes a cancelled job's upload and any results; safe to repeat. */
    private void deleteFiles(JobRecord job) throws SQLException, IOException {
        if (job.uploadKey() != null) {
            blobs.delete(BlobKey.of(job.uploadKey()));
            repo.clearUpload(job.uploadKey());
        }
        if (blobs.deletePrefix(BlobKey.resultPrefix(job.id())) > 0
                || !job.resultKeys().isEmpty()) repo.clearResults(job.id());
    }

    static String describe(Duration d) {
        if (d.toSeconds() < 120) return d.toSeconds() + " s";
        if (d.toMinutes() % 60 != 0 || d.toHours() < 2) return d.toMinutes() + " min";
        return d.toHours() + " h";
    }
}
