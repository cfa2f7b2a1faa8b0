package dev.voxgate.jobs;

import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.audio.decode.NotAudioException;
import dev.voxgate.audio.transcribe.Transcript;
import dev.voxgate.jobs.retention.RetentionReport;
import dev.voxgate.jobs.storage.BlobKey;
import dev.voxgate.jobs.support.MutableClock;
import dev.voxgate.jobs.support.ScriptedTranscriber;
import dev.voxgate.jobs.support.TestDatabase;
import dev.voxgate.jobs.support.Wavs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleConsumer;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The job service end to end with real JobRunr on a real database (one per subclass: SQLite,
 * PostgreSQL) and a scripted transcriber. Each test has its own database and data folder, so the
 * tests run in parallel (see junit-platform.properties): most of their time is spent waiting for
 * JobRunr's 5 s polls.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class TranscriptionJobsContract {
    /** The owner filter of a server running open: every job. */
    static final Optional<String> OPEN = Optional.empty();
    static final Optional<String> ALICE = Optional.of("key-alice");
    static final Optional<String> BOB = Optional.of("key-bob");

    @TempDir
    Path dir;

    TestDatabase db;
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    abstract TestDatabase newDatabase(Path dir) throws Exception;

    @BeforeEach
    void createDatabase() throws Exception {
        db = newDatabase(dir);
    }

    @AfterEach
    void closeAll() throws Exception {
        while (!toClose.isEmpty()) toClose.pop().close();
        db.close();
    }

    /** Two workers, short retry backoff (1 s) and shutdown grace (1 s); everything else as in production. */
    JobsConfig config() {
        return JobsConfig.defaults(dir.resolve("data")).withDatabase(db.target()).withWorkerConcurrency(2)
                .withTimings(JobsConfig.Timings.defaults().withRetryBackoffSeedSeconds(1)
                        .withShutdownGrace(Duration.ofSeconds(1)));
    }

    JobsBackend start(JobsConfig config, FileTranscriber transcriber, Clock clock) throws IOException {
        JobsBackend b = JobsBackend.start(config, transcriber, clock);
        toClose.push(b);
        return b;
    }

    JobsBackend start(FileTranscriber transcriber) throws IOException {
        return start(config(), transcriber, Clock.systemUTC());
    }

    JobRecord submit(JobsBackend b, double seconds) throws IOException {
        return submit(b, seconds, JobRequest.defaults());
    }

    JobRecord submit(JobsBackend b, double seconds, JobRequest request) throws IOException {
        return submit(b, seconds, request, OPEN);
    }

    JobRecord submit(JobsBackend b, double seconds, JobRequest request, Optional<String> owner) throws IOException {
        Path upload = Wavs.silence(dir.resolve("incoming-" + UUID.randomUUID() + ".wav"), seconds);
        return b.jobs().submit(upload, "meeting notes.wav", Wavs.probe(seconds), request, owner);
    }

    static JobRecord awaitJob(JobsBackend b, UUID id, Predicate<JobRecord> condition,
            Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        JobRecord last = null;
        while (System.nanoTime() < end) {
            last = b.jobs().find(id, OPEN).orElse(null);
            if (last != null && condition.test(last)) return last;
            Thread.sleep(50);
        }
        throw new AssertionError("job " + id + " did not get there in " + timeout + "; last seen: " + last);
    }

    static JobRecord awaitStatus(JobsBackend b, UUID id, JobStatus status, Duration timeout) throws Exception {
        return awaitJob(b, id, j -> j.status() == status, timeout);
    }

    /** The state JobRunr holds for the job (ENQUEUED, PROCESSING, SUCCEEDED, DELETED, …). */
    String jobRunrState(UUID id) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT state FROM jobrunr_jobs WHERE id = ?")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** How often JobRunr saw the job fail (each failure is a retry, or the end when retries are exhausted). */
    int jobRunrFailures(UUID id) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT jobAsJson FROM jobrunr_jobs WHERE id = ?")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new AssertionError("JobRunr has no job " + id);
                String json = rs.getString(1);
                return (json.length() - json.replace("states.FailedState", "")
                        .length()) / "states.FailedState".length();
            }
        }
    }

    static String read(JobsBackend b, UUID id, String format) throws IOException {
        try (InputStream in = b.jobs().openResult(id, OPEN, format)
                .orElseThrow(() -> new AssertionError("no " + format + " result"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Reports progress every 20 ms until the progress callback throws; remembers what it threw.
     * (It parks rather than sleeps: the worker also interrupts the thread, and this checks that the
     * callback alone stops a transcriber that pays no attention to interrupts.)
     */
    static Transcript loopUntilStopped(DoubleConsumer progress, CompletableFuture<Throwable> stoppedBy) {
        try {
            for (int i = 0; ; i++) {
                progress.accept(Math.min(0.9, i / 1000.0));
                LockSupport.parkNanos(20_000_000L);
            }
        } catch (RuntimeException | Error e) {
            stoppedBy.complete(e);
            throw e;
        }
    }

    @Test
    void succeededJobOffersAllFourFormats() throws Exception {
        ScriptedTranscriber t = ScriptedTranscriber.wav();
        JobsBackend b = start(t);
        JobRecord submitted = submit(b, 3.0, new JobRequest(null, "en", EnumSet.of(ResultFormat.SRT)));
        assertThat(submitted.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(submitted.displayName()).isEqualTo("meeting notes.wav");
        assertThat(submitted.uploadKey()).startsWith("uploads/").endsWith("/" + submitted.id() + "/audio")
                .doesNotContain("meeting");

        JobRecord done = awaitStatus(b, submitted.id(), JobStatus.SUCCEEDED, Duration.ofSeconds(20));
        assertThat(done.progress()).isEqualTo(100);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.durationSeconds()).isEqualTo(3.0);
        assertThat(done.workerId()).isEqualTo(b.nodeId());
        assertThat(done.startedAt()).isNotNull();
        assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
        assertThat(done.errorCode()).isNull();
        assertThat(done.request().formats()).containsExactly(ResultFormat.SRT);
        assertThat(done.resultKeys()).hasSize(4);

        assertThat(read(b, done.id(), "txt")).isEqualTo("second 1\nsecond 2\nsecond 3\n");
        assertThat(read(b, done.id(), "json"))
                .startsWith(
                        "{\"text\":\"second 1 second 2 second "
                                + "3\",\"language\":\"en\",\"duration\":3.0,\"engine\":null,\"segments\":[{\"id\":0,");
        assertThat(read(b, done.id(), "srt")).startsWith("1\n00:00:00,000 --> 00:00:01,000\nsecond 1\n");
        assertThat(read(b, done.id(), "VTT")).startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nsecond 1\n");
        assertThatThrownBy(() -> b.jobs().openResult(done.id(), OPEN, "docx"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(t.calls(done.id())).isEqualTo(1);
        awaitJobRunr(done.id(), "SUCCEEDED"); // JobRunr records it just after the worker returns
    }

    @Test
    void brokenFileFailsAtOnceWithoutRetry() throws Exception {
        ScriptedTranscriber t = new ScriptedTranscriber((audio, request, progress, call) -> {
            throw new NotAudioException("the file is not audio (it looks like text)");
        });
        JobsBackend b = start(t);
        JobRecord j = submit(b, 1.0);
        JobRecord failed = awaitStatus(b, j.id(), JobStatus.FAILED, Duration.ofSeconds(20));
        assertThat(failed.errorCode()).isEqualTo("not_audio");
        assertThat(failed.errorMessage()).isEqualTo("the file is not audio (it looks like text)");
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.finishedAt()).isNotNull();
        assertThat(b.jobs().openResult(j.id(), OPEN, "txt")).isEmpty();
        awaitJobRunr(j.id(), "SUCCEEDED");
        assertThat(jobRunrFailures(j.id())).as("not failed in JobRunr, so not retried").isZero();
        assertThat(t.calls(j.id())).isEqualTo(1);
    }

    @Test
    void aJobWhoseUploadVanishedFailsAtOnce() throws Exception {
        ScriptedTranscriber t = ScriptedTranscriber.wav();
        JobsBackend b = start(config().withWorkerConcurrency(0), t, Clock.systemUTC());
        JobRecord j = submit(b, 1.0);
        b.blobs().delete(BlobKey.of(j.uploadKey()));
        b.close();
        JobsBackend worker = start(t);
        JobRecord failed = awaitStatus(worker, j.id(), JobStatus.FAILED, Duration.ofSeconds(20));
        assertThat(failed.errorCode()).isEqualTo("upload_missing");
        assertThat(failed.errorMessage()).contains("UPLOAD_RETENTION_DAYS");
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(t.calls(j.id())).isZero();
    }

    @Test
    void transientFailureIsRetriedAndThenSucceeds() throws Exception {
        ScriptedTranscriber t = new ScriptedTranscriber((audio, request, progress, call) -> {
            if (call == 1) throw new EngineUnavailableException("the model is still loading");
            return ScriptedTranscriber.fromWav(audio, progress);
        });
        JobsBackend b = start(t);
        JobRecord j = submit(b, 2.0);
        JobRecord waiting =
                awaitJob(b, j.id(), r -> r.attempts() == 1 && r.status() == JobStatus.QUEUED, Duration.ofSeconds(20));
        assertThat(waiting.errorCode()).isEqualTo("engine_unavailable");
        assertThat(waiting.errorMessage()).isEqualTo("the model is still loading");

        JobRecord done = awaitStatus(b, j.id(), JobStatus.SUCCEEDED, Duration.ofSeconds(40));
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.errorCode()).isNull();
        assertThat(t.calls(j.id())).isEqualTo(2);
        awaitJobRunr(j.id(), "SUCCEEDED");
        assertThat(jobRunrFailures(j.id())).isEqualTo(1);
    }

    @Test
    void exhaustedRetriesFailTheJob() throws Exception {
        ScriptedTranscriber t = new ScriptedTranscriber((audio, request, progress, call) -> {
            throw new EngineUnavailableException("engine down (call " + call + ")");
        });
        JobsBackend b = start(config().withMaxRetries(1), t, Clock.systemUTC());
        JobRecord j = submit(b, 1.0);
        JobRecord failed = awaitStatus(b, j.id(), JobStatus.FAILED, Duration.ofSeconds(45));
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.errorCode()).isEqualTo("engine_unavailable");
        assertThat(failed.errorMessage()).isEqualTo("engine down (call 2) (gave up after 2 attempts)");
        assertThat(t.calls(j.id())).isEqualTo(2);
        awaitJobRunr(j.id(), "SUCCEEDED");
        assertThat(jobRunrFailures(j.id())).as("only the first attempt was handed back to JobRunr for a retry")
                .isEqualTo(1);
    }

    @Test
    void jobRunningPastTheTimeLimitFailsWithoutRetry() throws Exception {
        CompletableFuture<Throwable> stoppedBy = new CompletableFuture<>();
        ScriptedTranscriber t =
                new ScriptedTranscriber((audio, request, progress, call) -> loopUntilStopped(progress, stoppedBy));
        JobsBackend b = start(config().withJobTimeout(Duration.ofSeconds(1)), t, Clock.systemUTC());
        JobRecord j = submit(b, 1.0);
        JobRecord failed = awaitStatus(b, j.id(), JobStatus.FAILED, Duration.ofSeconds(20));
        assertThat(failed.errorCode()).isEqualTo("job_timeout");
        assertThat(failed.errorMessage()).contains("JOB_TIMEOUT_MINUTES").contains("1 s");
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(stoppedBy.get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        awaitJobRunr(j.id(), "SUCCEEDED");
        assertThat(jobRunrFailures(j.id())).isZero();
        assertThat(t.calls(j.id())).isEqualTo(1);
    }

    @Test
    void cancellingAQueuedJobTakesItOutOfTheQueue() throws Exception {
        JobsBackend b = start(config().withWorkerConcurrency(0), ScriptedTranscriber.wav(), Clock.systemUTC());
        JobRecord j = submit(b, 1.0);
        assertThat(jobRunrState(j.id())).isEqualTo("ENQUEUED");
        assertThat(b.jobs().cancel(j.id(), OPEN)).isEqualTo(CancelOutcome.CANCELLED);
        JobRecord c = b.jobs().find(j.id(), OPEN).orElseThrow();
        assertThat(c.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(c.finishedAt()).isNotNull();
        assertThat(c.uploadKey()).isNull();
        assertThat(b.blobs().size(BlobKey.of(j.uploadKey()))).isEmpty();
        assertThat(jobRunrState(j.id())).isEqualTo("DELETED");
        assertThat(b.jobs().cancel(j.id(), OPEN)).isEqualTo(CancelOutcome.ALREADY_CANCELLED);
    }

    @Test
    void cancellingARunningJobStopsItAtItsNextProgressReport() throws Exception {
        CompletableFuture<Throwable> stoppedBy = new CompletableFuture<>();
        ScriptedTranscriber t =
                new ScriptedTranscriber((audio, request, progress, call) -> loopUntilStopped(progress, stoppedBy));
        JobsBackend b = start(t);
        JobRecord j = submit(b, 1.0);
        awaitStatus(b, j.id(), JobStatus.RUNNING, Duration.ofSeconds(20));

        assertThat(b.jobs().cancel(j.id(), OPEN)).isEqualTo(CancelOutcome.STOPPING);
        assertThat(stoppedBy.get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        JobRecord c = awaitJob(b, j.id(), r -> r.uploadKey() == null, Duration.ofSeconds(10));
        assertThat(c.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(c.resultKeys()).isEmpty();
        assertThat(b.blobs().size(BlobKey.of(j.uploadKey()))).isEmpty();
        assertThat(b.jobs().cancel(j.id(), OPEN)).isEqualTo(CancelOutcome.ALREADY_CANCELLED);
        awaitJobRunr(j.id(), "SUCCEEDED");
        assertThat(jobRunrFailures(j.id())).as("ended, not failed for a retry").isZero();
        assertThat(t.calls(j.id())).isEqualTo(1);
    }

    @Test
    void cancellingAFinishedJobDeletesItAndItsFiles() throws Exception {
        JobsBackend b = start(ScriptedTranscriber.wav());
        JobRecord j = submit(b, 1.0);
        JobRecord done = awaitStatus(b, j.id(), JobStatus.SUCCEEDED, Duration.ofSeconds(20));
        assertThat(b.jobs().cancel(j.id(), OPEN)).isEqualTo(CancelOutcome.DELETED);
        assertThat(b.jobs().find(j.id(), OPEN)).isEmpty();
        assertThat(b.jobs().openResult(j.id(), OPEN, "txt")).isEmpty();
        for (String key : done.resultKeys()) assertThat(b.blobs().size(BlobKey.of(key))).isEmpty();
        assertThat(b.blobs().size(BlobKey.of(j.uploadKey()))).isEmpty();
        assertThat(b.jobs().cancel(j.id(), OPEN)).isEqualTo(CancelOutcome.NOT_FOUND);
    }

    @Test
    void deleteTakesOnlyFinishedJobsWithTheirFilesAndTheUploadCanBeReadUntilThen() throws Exception {
        JobsBackend b = start(config().withWorkerConcurrency(0), ScriptedTranscriber.wav(), Clock.systemUTC());
        JobRecord queued = submit(b, 1.0, JobRequest.defaults(), ALICE);
        try (TranscriptionJobs.StoredFile upload = b.jobs().openUpload(queued.id(), ALICE).orElseThrow()) {
            assertThat(upload.size()).isPositive().isEqualTo(b.blobs().size(BlobKey.of(queued.uploadKey()))
                    .getAsLong());
            assertThat(upload.content().readAllBytes()).hasSize((int) upload.size());
            assertThat(upload.format()).isEqualTo(queued.detectedFormat());
        }
        assertThat(b.jobs().openUpload(queued.id(), BOB)).as("another key's").isEmpty();
        assertThat(b.jobs().delete(queued.id(), ALICE)).as("not finished").isFalse();
        assertThat(b.jobs().find(queued.id(), ALICE).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(b.jobs().cancel(queued.id(), ALICE)).isEqualTo(CancelOutcome.CANCELLED);
        assertThat(b.jobs().openUpload(queued.id(), ALICE)).as("a cancelled job's upload is deleted").isEmpty();
        assertThat(b.jobs().delete(queued.id(), BOB)).isFalse();
        assertThat(b.jobs().delete(queued.id(), ALICE)).isTrue();
        assertThat(b.jobs().find(queued.id(), ALICE)).isEmpty();
        assertThat(b.jobs().delete(queued.id(), ALICE)).as("already deleted").isFalse();
    }

    @Test
    void deletingASucceededJobRemovesItsTranscriptsAndUpload() throws Exception {
        JobsBackend b = start(ScriptedTranscriber.wav());
        JobRecord j = submit(b, 1.0);
        JobRecord done = awaitStatus(b, j.id(), JobStatus.SUCCEEDED, Duration.ofSeconds(20));
        assertThat(b.jobs().openUpload(j.id(), OPEN)).as("kept after success").isPresent()
                .get().satisfies(f -> f.content().close());
        assertThat(b.jobs().delete(j.id(), OPEN)).isTrue();
        assertThat(b.jobs().find(j.id(), OPEN)).isEmpty();
        for (String key : done.resultKeys()) assertThat(b.blobs().size(BlobKey.of(key))).isEmpty();
        assertThat(b.blobs().size(BlobKey.of(j.uploadKey()))).isEmpty();
    }

    @Test
    void anotherKeysQueuedJobIsNotFoundAndStaysQueued() throws Exception {
        JobsBackend b = start(config().withWorkerConcurrency(0), ScriptedTranscriber.wav(), Clock.systemUTC());
        JobRecord j = submit(b, 1.0, JobRequest.defaults(), ALICE);
        JobRecord unowned = submit(b, 1.0);
        assertThat(j.owner()).isEqualTo("key-alice");
        assertThat(b.jobs().find(j.id(), ALICE).map(JobRecord::owner)).contains("key-alice");
        assertThat(b.jobs().find(j.id(), BOB)).isEmpty();
        assertThat(b.jobs().find(unowned.id(), BOB)).as("made while the server ran open: no key's").isEmpty();
        assertThat(b.jobs().list(BOB, 0, 10).total()).isZero();
        assertThat(b.jobs().list(ALICE, 0, 10).items()).extracting(JobRecord::id).containsExactly(j.id());
        assertThat(b.jobs().list(OPEN, 0, 10).total()).isEqualTo(2);

        assertThat(b.jobs().cancel(j.id(), BOB)).isEqualTo(CancelOutcome.NOT_FOUND);
        assertThat(b.jobs().cancel(unowned.id(), BOB)).isEqualTo(CancelOutcome.NOT_FOUND);
        assertThat(b.jobs().find(j.id(), OPEN).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(b.blobs().size(BlobKey.of(j.uploadKey()))).isPresent();
        assertThat(jobRunrState(j.id())).isEqualTo("ENQUEUED");
        assertThat(b.jobs().cancel(j.id(), ALICE)).isEqualTo(CancelOutcome.CANCELLED);
    }

    @Test
    void anotherKeysTranscriptIsNotFoundAndCannotBeDeleted() throws Exception {
        JobsBackend b = start(ScriptedTranscriber.wav());
        JobRecord j = submit(b, 1.0, JobRequest.defaults(), ALICE);
        awaitStatus(b, j.id(), JobStatus.SUCCEEDED, Duration.ofSeconds(20));
        assertThat(b.jobs().openResult(j.id(), BOB, "txt")).isEmpty();
        assertThat(b.jobs().cancel(j.id(), BOB)).isEqualTo(CancelOutcome.NOT_FOUND);
        try (InputStream in = b.jobs().openResult(j.id(), ALICE, "txt").orElseThrow()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second 1\n");
        }
        assertThat(b.jobs().cancel(j.id(), ALICE)).isEqualTo(CancelOutcome.DELETED);
    }

    @Test
    void unknownJobsAreNotFound() throws Exception {
        JobsBackend b = start(config().withWorkerConcurrency(0), ScriptedTranscriber.wav(), Clock.systemUTC());
        UUID nobody = UUID.randomUUID();
        assertThat(b.jobs().find(nobody, OPEN)).isEmpty();
        assertThat(b.jobs().cancel(nobody, OPEN)).isEqualTo(CancelOutcome.NOT_FOUND);
        assertThat(b.jobs().openResult(nobody, OPEN, "json")).isEmpty();
        assertThat(b.isDatabaseReachable()).isTrue();
    }

    @Test
    void listIsPagedNewestFirst() throws Exception {
        JobsBackend b =
                start(config().withWorkerConcurrency(0), ScriptedTranscriber.wav(),
                        new MutableClock(Instant.now(), Duration.ofSeconds(1)));
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) ids.add(0, submit(b, 0.5).id());
        Page<JobRecord> first = b.jobs().list(OPEN, 0, 2);
        assertThat(first.items()).extracting(JobRecord::id).containsExactly(ids.get(0), ids.get(1));
        assertThat(first.total()).isEqualTo(5);
        assertThat(b.jobs().list(OPEN, 1, 2).items()).extracting(JobRecord::id).containsExactly(ids.get(2), ids.get(3));
        assertThat(b.jobs().list(OPEN, 2, 2).items()).extracting(JobRecord::id).containsExactly(ids.get(4));
        assertThat(b.jobs().list(OPEN, 0, 100).items()).extracting(JobRecord::status).containsOnly(JobStatus.QUEUED);
    }

    @Test
    void progressIsWrittenWhileTheJobRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ScriptedTranscriber t = new ScriptedTranscriber((audio, request, progress, call) -> {
            progress.accept(0.25);
            progress.accept(0.26); // within a second and under 5 points: not written
            progress.accept(0.5);
            release.await();
            return ScriptedTranscriber.fromWav(audio, p -> { });
        });
        JobsBackend b = start(t);
        JobRecord j = submit(b, 1.0);
        JobRecord half = awaitJob(b, j.id(), r -> r.progress() == 50, Duration.ofSeconds(20));
        assertThat(half.status()).isEqualTo(JobStatus.RUNNING);
        release.countDown();
        assertThat(awaitStatus(b, j.id(), JobStatus.SUCCEEDED, Duration.ofSeconds(10)).progress()).isEqualTo(100);
    }

    @Test
    void retentionDeletesOldUploadsThenOldJobsButNothingInUse() throws Exception {
        MutableClock clock = MutableClock.startingNow();
        CountDownLatch release = new CountDownLatch(1);
        ScriptedTranscriber t = new ScriptedTranscriber((audio, request, progress, call) -> {
            if ("hold".equals(request.language())) release.await();
            return ScriptedTranscriber.fromWav(audio, progress);
        });
        JobsBackend b = start(config(), t, clock);
        try {
            JobRecord done = awaitStatus(b, submit(b, 1.0).id(), JobStatus.SUCCEEDED, Duration.ofSeconds(20));
            JobRecord held = submit(b, 1.0, new JobRequest(null, "hold", EnumSet.allOf(ResultFormat.class)));
            awaitStatus(b, held.id(), JobStatus.RUNNING, Duration.ofSeconds(20));
            BlobKey stray = BlobKey.upload(UUID.randomUUID(), clock.instant());
            b.blobs().put(stray, new ByteArrayInputStream(new byte[10]));

            assertThat(b.runRetention()).isEqualTo(new RetentionReport(0, 0, 0));

            clock.advance(Duration.ofDays(8));
            assertThat(b.runRetention()).isEqualTo(new RetentionReport(2, 0, 0));
            assertThat(b.jobs().find(done.id(), OPEN).orElseThrow().uploadKey()).isNull();
            assertThat(b.blobs().size(stray)).isEmpty();
            assertThat(b.blobs().size(BlobKey.of(held.uploadKey()))).as("a running job's upload is kept").isPresent();
            assertThat(read(b, done.id(), "txt")).isNotEmpty();

            clock.advance(Duration.ofDays(23));
            assertThat(b.runRetention()).isEqualTo(new RetentionReport(0, 4, 1));
            assertThat(b.jobs().find(done.id(), OPEN)).isEmpty();
            assertThat(b.blobs().listOlderThan(BlobKey.resultPrefix(done.id()), clock.instant())).isEmpty();
            assertThat(b.jobs().find(held.id(), OPEN).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        } finally {
            release.countDown();
        }
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM jobrunr_recurring_jobs WHERE id = ?")) {
            ps.setString(1, "voxgate-retention");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("the hourly retention job is registered").isEqualTo(1);
            }
        }
    }

    @Test
    void retentionOfZeroDaysKeepsEverything() throws Exception {
        MutableClock clock = MutableClock.startingNow();
        JobsBackend b = start(config().withRetentionDays(0, 0), ScriptedTranscriber.wav(), clock);
        JobRecord done = awaitStatus(b, submit(b, 1.0).id(), JobStatus.SUCCEEDED, Duration.ofSeconds(20));
        clock.advance(Duration.ofDays(400));
        assertThat(b.runRetention()).isEqualTo(new RetentionReport(0, 0, 0));
        assertThat(b.jobs().find(done.id(), OPEN).orElseThrow().uploadKey()).isEqualTo(done.uploadKey());
        assertThat(read(b, done.id(), "srt")).isNotEmpty();
    }

    @Test
    void closingANodeGivesItsRunningJobBackToTheQueue() throws Exception {
        ScriptedTranscriber blocking = new ScriptedTranscriber((audio, request, progress, call) -> {
            new CountDownLatch(1).await(); // until interrupted by the shutdown
            throw new AssertionError("unreachable");
        });
        JobsBackend a = start(config().withWorkerConcurrency(1), blocking, Clock.systemUTC());
        JobRecord j = submit(a, 1.0);
        awaitStatus(a, j.id(), JobStatus.RUNNING, Duration.ofSeconds(20));
        a.close();

        ScriptedTranscriber t = ScriptedTranscriber.wav();
        JobsBackend b = start(t);
        JobRecord requeued = b.jobs().find(j.id(), OPEN).orElseThrow();
        assertThat(requeued.status()).isIn(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.SUCCEEDED);
        JobRecord done = awaitStatus(b, j.id(), JobStatus.SUCCEEDED, Duration.ofSeconds(40));
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.workerId()).isEqualTo(b.nodeId());
        assertThat(t.calls(j.id())).isEqualTo(1);
    }

    @Test
    void aDeadNodesJobIsFinishedByAnotherNode() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        ScriptedTranscriber stuck = new ScriptedTranscriber((audio, request, progress, call) -> {
            progress.accept(0.3);
            never.await();
            throw new AssertionError("unreachable");
        });
        JobsBackend a = start(config().withWorkerConcurrency(1), stuck, Clock.systemUTC());
        try {
            JobRecord j = submit(a, 1.0);
            awaitJob(a, j.id(), r -> r.status() == JobStatus.RUNNING && r.progress() == 30, Duration.ofSeconds(20));
            a.halt(); // a dead node: writes nothing more; the row stays running, JobRunr's job PROCESSING

            ScriptedTranscriber t = ScriptedTranscriber.wav();
            JobsBackend b = start(t);
            assertThat(b.jobs().find(j.id(), OPEN).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
            // JobRunr declares node a dead after the server timeout (4 × 5 s) and retries its job here.
            JobRecord done = awaitStatus(b, j.id(), JobStatus.SUCCEEDED, Duration.ofSeconds(90));
            assertThat(done.attempts()).isEqualTo(2);
            assertThat(done.workerId()).isEqualTo(b.nodeId());
            assertThat(t.calls(j.id())).isEqualTo(1);
            assertThat(b.jobs().list(OPEN, 0, 100).items()).extracting(JobRecord::status)
                    .doesNotContain(JobStatus.RUNNING, JobStatus.QUEUED);
        } finally {
            never.countDown();
        }
    }

    void awaitJobRunr(UUID id, String state) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String last = null;
        while (System.nanoTime() < end) {
            last = jobRunrState(id);
            if (state.equals(last)) return;
            Thread.sleep(50);
        }
        throw new AssertionError("JobRunr's job " + id + " is " + last + ", not " + state);
    }
}
