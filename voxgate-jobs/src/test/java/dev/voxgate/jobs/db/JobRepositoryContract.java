package dev.voxgate.jobs.db;

import dev.voxgate.jobs.JobRecord;
import dev.voxgate.jobs.JobRequest;
import dev.voxgate.jobs.JobStatus;
import dev.voxgate.jobs.Page;
import dev.voxgate.jobs.ResultFormat;
import dev.voxgate.jobs.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The repository's behaviour, run against each database vendor by a subclass. */
@Timeout(60)
abstract class JobRepositoryContract {
    @TempDir
    Path dir;

    TestDatabase testDb;
    Database database;
    JobRepository repo;
    final Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
    /** No owner filter, as for a server running open. */
    static final Optional<String> OPEN = Optional.empty();
    static final Optional<String> ALICE = Optional.of("key-alice");
    static final Optional<String> BOB = Optional.of("key-bob");

    abstract TestDatabase newDatabase(Path dir) throws Exception;

    @BeforeEach
    void open() throws Exception {
        testDb = newDatabase(dir);
        database = Database.open(testDb.target(), 8);
        repo = new JobRepository(database.dataSource());
    }

    @AfterEach
    void close() throws Exception {
        if (database != null) database.close();
        if (testDb != null) testDb.close();
    }

    /** A queued job with no owner (made while the server ran open). */
    JobRecord queued(Instant created) {
        return queued(created, OPEN);
    }

    JobRecord queued(Instant created, Optional<String> owner) {
        UUID id = UUID.randomUUID();
        return new JobRecord(id, JobStatus.QUEUED, 0,
                new JobRequest("vosk", "en", EnumSet.of(ResultFormat.SRT, ResultFormat.JSON)),
                "talk.mp3", "mp3", 12345, 61.5, created, null, null, null, null, 0, "uploads/2026/11/22/" + id
                + "/audio", List.of(), null, owner.orElse(null));
    }

    @Test
    void insertedRowsReadBackUnchanged() throws Exception {
        JobRecord j = queued(t0);
        JobRecord owned = queued(t0, ALICE);
        repo.insert(j);
        repo.insert(owned);
        assertThat(repo.find(j.id())).contains(j);
        assertThat(repo.find(owned.id())).contains(owned);
        assertThat(owned.owner()).isEqualTo("key-alice");
        assertThat(repo.find(UUID.randomUUID())).isEmpty();
    }

    @Test
    void aRequestForWordTimesReadsBack() throws Exception {
        JobRecord q = queued(t0);
        JobRecord j = new JobRecord(UUID.randomUUID(), q.status(), 0, new JobRequest("whisper", "en",
                EnumSet.of(ResultFormat.VTT), true), q.displayName(), q.detectedFormat(), q.sizeBytes(),
                q.durationSeconds(), q.createdAt(), null, null, null, null, 0, q.uploadKey(), List.of(), null, null);
        repo.insert(j);
        repo.insert(q);
        assertThat(repo.find(j.id()).orElseThrow().request().wordTimes()).isTrue();
        assertThat(repo.find(q.id()).orElseThrow().request().wordTimes()).isFalse();
    }

    @Test
    void aJobIsFoundOnlyForItsOwnerOrWithoutAFilter() throws Exception {
        JobRecord alices = queued(t0, ALICE);
        JobRecord unowned = queued(t0);
        repo.insert(alices);
        repo.insert(unowned);
        assertThat(repo.find(alices.id(), ALICE)).contains(alices);
        assertThat(repo.find(alices.id(), BOB)).isEmpty();
        assertThat(repo.find(alices.id(), OPEN)).contains(alices);
        assertThat(repo.find(unowned.id(), OPEN)).contains(unowned);
        assertThat(repo.find(unowned.id(), ALICE)).as("a job made while open belongs to no key").isEmpty();
        assertThat(repo.find(UUID.randomUUID(), ALICE)).isEmpty();
    }

    @Test
    void listingByOwnerPagesAndCountsOnlyThatOwnersJobs() throws Exception {
        // Interleaved: Alice's 5 jobs are never next to each other in the table's newest-first order.
        List<JobRecord> alices = new ArrayList<>();
        List<JobRecord> bobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            JobRecord a = queued(t0.plusSeconds(3L * i), ALICE);
            JobRecord b = queued(t0.plusSeconds(3L * i + 1), BOB);
            JobRecord open = queued(t0.plusSeconds(3L * i + 2));
            for (JobRecord j : List.of(a, b, open)) repo.insert(j);
            alices.add(0, a);
            bobs.add(0, b);
        }
        JobRecord sameTime = queued(t0.plusSeconds(12), ALICE); // ties with alices.get(0): the id decides
        repo.insert(sameTime);
        List<UUID> expected = new ArrayList<>(alices.stream().map(JobRecord::id).toList());
        expected.add(sameTime.id().toString().compareTo(expected.get(0).toString()) > 0 ? 0 : 1, sameTime.id());

        List<UUID> paged = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            Page<JobRecord> p = repo.list(ALICE, page, 2);
            assertThat(p.total()).isEqualTo(6);
            assertThat(p.totalPages()).isEqualTo(3);
            assertThat(p.hasNext()).isEqualTo(page < 2);
            assertThat(p.items()).hasSize(2).extracting(JobRecord::owner).containsOnly("key-alice");
            p.items().forEach(j -> paged.add(j.id()));
        }
        assertThat(paged).as("newest first, every job once").isEqualTo(expected);
        assertThat(repo.list(ALICE, 3, 2).items()).isEmpty();

        Page<JobRecord> bob = repo.list(BOB, 0, 10);
        assertThat(bob.total()).isEqualTo(5);
        assertThat(bob.items()).extracting(JobRecord::id).isEqualTo(bobs.stream().map(JobRecord::id).toList());
        Page<JobRecord> nobody = repo.list(Optional.of("key-carol"), 0, 10);
        assertThat(nobody.total()).isZero();
        assertThat(nobody.items()).isEmpty();
        assertThat(nobody.hasNext()).isFalse();
        assertThat(repo.list(OPEN, 0, 100).total()).as("open: every job, owned or not").isEqualTo(16);
    }

    @Test
    void onlyTheOwnerOrAnOpenServerCancels() throws Exception {
        JobRecord alices = queued(t0, ALICE);
        JobRecord unowned = queued(t0);
        repo.insert(alices);
        repo.insert(unowned);
        assertThat(repo.cancel(alices.id(), BOB, JobStatus.QUEUED, t0)).isFalse();
        assertThat(repo.find(alices.id()).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(repo.cancel(alices.id(), ALICE, JobStatus.QUEUED, t0)).isTrue();
        assertThat(repo.find(alices.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);

        assertThat(repo.cancel(unowned.id(), ALICE, JobStatus.QUEUED, t0)).isFalse();
        assertThat(repo.find(unowned.id()).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(repo.cancel(unowned.id(), OPEN, JobStatus.QUEUED, t0)).isTrue();
    }

    @Test
    void migratingTwiceIsHarmless() throws Exception {
        repo.insert(queued(t0));
        database.close();
        database = Database.open(testDb.target(), 4);
        repo = new JobRepository(database.dataSource());
        assertThat(repo.list(OPEN, 0, 10).total()).isEqualTo(1);
    }

    @Test
    void listsNewestFirstInPages() throws Exception {
        List<JobRecord> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            JobRecord j = queued(t0.plusSeconds(i));
            repo.insert(j);
            all.add(0, j);
        }
        Page<JobRecord> p0 = repo.list(OPEN, 0, 2);
        assertThat(p0.items()).extracting(JobRecord::id).containsExactly(all.get(0).id(), all.get(1).id());
        assertThat(p0.total()).isEqualTo(5);
        assertThat(p0.totalPages()).isEqualTo(3);
        assertThat(p0.hasNext()).isTrue();
        assertThat(repo.list(OPEN, 2, 2).items()).extracting(JobRecord::id).containsExactly(all.get(4).id());
        assertThat(repo.list(OPEN, 2, 2).hasNext()).isFalse();
        assertThat(repo.list(OPEN, 3, 2).items()).isEmpty();
    }

    @Test
    void onlyOneOfManyConcurrentClaimsOfTheSameAttemptWins() throws Exception {
        JobRecord j = queued(t0);
        repo.insert(j);
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String worker = "node-" + i;
                Callable<Boolean> claim = () -> {
                    go.await();
                    return repo.claim(j.id(), 1, worker, t0);
                };
                claims.add(pool.submit(claim));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> f : claims) if (f.get()) won++;
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        JobRecord running = repo.find(j.id()).orElseThrow();
        assertThat(running.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(running.attempts()).isEqualTo(1);
        assertThat(running.startedAt()).isEqualTo(t0);
    }

    @Test
    void aLaterAttemptTakesOverARowLeftRunningButAnEarlierOneNever() throws Exception {
        JobRecord j = queued(t0);
        repo.insert(j);
        assertThat(repo.claim(j.id(), 1, "dead-node", t0)).isTrue();
        assertThat(repo.claim(j.id(), 1, "other", t0)).isFalse();
        assertThat(repo.claim(j.id(), 2, "live-node", t0.plusSeconds(30))).isTrue();
        assertThat(repo.claim(j.id(), 1, "dead-node", t0)).isFalse();
        // The dead attempt can no longer report or finish.
        assertThat(repo.progress(j.id(), 1, 50)).isFalse();
        assertThat(repo.succeed(j.id(), 1, t0, 1.0, List.of())).isFalse();
        assertThat(repo.progress(j.id(), 2, 50)).isTrue();
        JobRecord r = repo.find(j.id()).orElseThrow();
        assertThat(r.workerId()).isEqualTo("live-node");
        assertThat(r.attempts()).isEqualTo(2);
        assertThat(r.progress()).isEqualTo(50);
    }

    @Test
    void finishingIsConditionalOnHoldingTheRow() throws Exception {
        JobRecord j = queued(t0);
        repo.insert(j);
        assertThat(repo.succeed(j.id(), 1, t0, 1.0, List.of("k"))).as("not running yet").isFalse();
        repo.claim(j.id(), 1, "n", t0);
        assertThat(repo.requeue(j.id(), 1, "engine_unavailable", "loading")).isTrue();
        JobRecord q = repo.find(j.id()).orElseThrow();
        assertThat(q.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(q.errorCode()).isEqualTo("engine_unavailable");
        assertThat(q.attempts()).isEqualTo(1);

        repo.claim(j.id(), 2, "n", t0.plusSeconds(5));
        List<String> keys = List.of("results/" + j.id() + "/transcript.txt", "results/" + j.id() + "/transcript.srt");
        assertThat(repo.succeed(j.id(), 2, t0.plusSeconds(9), 60.25, keys)).isTrue();
        assertThat(repo.succeed(j.id(), 2, t0.plusSeconds(9), 60.25, keys)).as("twice").isFalse();
        assertThat(repo.fail(j.id(), 2, t0, "x", "y")).isFalse();
        JobRecord done = repo.find(j.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.progress()).isEqualTo(100);
        assertThat(done.durationSeconds()).isEqualTo(60.25);
        assertThat(done.finishedAt()).isEqualTo(t0.plusSeconds(9));
        assertThat(done.errorCode()).isNull();
        assertThat(done.resultKeys()).isEqualTo(keys);
        assertThat(done.resultKey(ResultFormat.SRT)).contains(keys.get(1));
        assertThat(done.resultKey(ResultFormat.VTT)).isEmpty();
    }

    @Test
    void cancelOnlyFromTheStatusNamed() throws Exception {
        JobRecord j = queued(t0);
        repo.insert(j);
        assertThat(repo.cancel(j.id(), OPEN, JobStatus.RUNNING, t0)).isFalse();
        assertThat(repo.cancel(j.id(), OPEN, JobStatus.QUEUED, t0)).isTrue();
        assertThat(repo.cancel(j.id(), OPEN, JobStatus.QUEUED, t0)).isFalse();
        assertThat(repo.claim(j.id(), 1, "n", t0)).as("a cancelled job is never claimed").isFalse();
        assertThat(repo.failUnclaimed(j.id(), t0, "x", "y")).isFalse();
        assertThat(repo.find(j.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void retentionQueries() throws Exception {
        JobRecord old = queued(t0);
        JobRecord recent = queued(t0);
        JobRecord active = queued(t0);
        for (JobRecord j : List.of(old, recent, active)) repo.insert(j);
        repo.claim(old.id(), 1, "n", t0);
        repo.fail(old.id(), 1, t0.plusSeconds(1), "not_audio", "not audio");
        repo.cancel(recent.id(), OPEN, JobStatus.QUEUED, t0.plusSeconds(100));
        assertThat(repo.finishedBefore(t0.plusSeconds(50), 10)).extracting(JobRecord::id).containsExactly(old.id());
        assertThat(repo.isUploadInUse(active.uploadKey())).isTrue();
        assertThat(repo.isUploadInUse(old.uploadKey())).isFalse();
        repo.clearUpload(old.uploadKey());
        assertThat(repo.find(old.id()).orElseThrow().uploadKey()).isNull();
        assertThat(repo.delete(active.id(), EnumSet.of(JobStatus.FAILED))).isFalse();
        assertThat(repo.delete(old.id(), EnumSet.of(JobStatus.FAILED))).isTrue();
        assertThat(repo.find(old.id())).isEmpty();
    }

    @Test
    void theSchemaRefusesImpossibleValues() throws Exception {
        JobRecord j = queued(t0);
        repo.insert(j);
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE jobs SET status = 'lost' WHERE id = '" + j.id() + "'"))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> st.executeUpdate("UPDATE jobs SET progress = 101 WHERE id = '" + j.id() + "'"))
                    .isInstanceOf(SQLException.class);
        }
    }

    /** The query plan's lines for {@code sql} run with {@code params}. */
    static String plan(Connection c, String explain, String sql, Object... params) throws Exception {
        StringBuilder out = new StringBuilder();
        try (PreparedStatement ps = c.prepareStatement(explain + " " + sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.append(rs.getString(rs.getMetaData().getColumnCount())).append('\n');
            }
        }
        return out.toString();
    }

    static String scalar(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
