package dev.voxgate.jobs.storage;

import dev.voxgate.jobs.retention.RetentionTask;
import dev.voxgate.jobs.support.MutableClock;
import dev.voxgate.jobs.support.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link S3BlobStore} and {@link SpoolingBlobStore} against a real S3 server (s3proxy in this JVM): the store's
 * contract, S3 going away and coming back, a restart with a non-empty spool, a full spool.
 */
@Timeout(120)
// One after another: tests stop and start the shared S3 server.
@Execution(ExecutionMode.SAME_THREAD)
class S3BlobStoreIT {
    @TempDir
    static Path dir;
    private static S3ProxyServer s3;

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyServer.start(dir.resolve("s3"), "voxgate-test");
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) s3.close();
    }

    private static S3BlobStore store(String prefix) throws IOException {
        return new S3BlobStore(s3.config(prefix), s3.credentials(), dir.resolve("tmp-" + UUID.randomUUID()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] read(BlobStore store, BlobKey key) throws IOException {
        Optional<InputStream> in = store.open(key);
        assertThat(in).as(key.value()).isPresent();
        try (InputStream s = in.get()) {
            return s.readAllBytes();
        }
    }

    @Test
    void storesReadsListsAndDeletesUnderItsPrefix() throws IOException {
        try (S3BlobStore store = store("p1")) {
            store.checkBucket();
            BlobKey a = BlobKey.of("results/a/transcript.txt");
            BlobKey b = BlobKey.of("results/a/transcript.srt");
            BlobKey c = BlobKey.of("uploads/2026/12/04/c/audio");
            store.put(a, new ByteArrayInputStream(bytes("hello")));
            store.put(b, new ByteArrayInputStream(bytes("1\n")));
            Path file = Files.write(dir.resolve("upload-" + UUID.randomUUID()), bytes("audio bytes"));
            store.putFile(c, file);

            assertThat(file).as("putFile takes the file away").doesNotExist();
            assertThat(s3.holds("p1/" + a.value())).as("the object is under S3_PREFIX").isTrue();
            assertThat(read(store, a)).isEqualTo(bytes("hello"));
            assertThat(store.size(c)).hasValue(11);
            assertThat(store.open(BlobKey.of("results/none/x"))).isEmpty();
            assertThat(store.size(BlobKey.of("results/none/x"))).isEmpty();
            try (BlobStore.LocalBlob local = store.openLocal(c)) {
                assertThat(Files.readAllBytes(local.path())).isEqualTo(bytes("audio bytes"));
            }
            assertThatThrownBy(() -> store.openLocal(BlobKey.of("uploads/none"))).isInstanceOf(
                    NoSuchFileException.class);

            Instant future = Instant.now().plus(Duration.ofMinutes(5));
            assertThat(store.listOlderThan("results/", future)).containsExactly(b, a);
            assertThat(store.listOlderThan("results/", Instant.now().minus(Duration.ofHours(1)))).isEmpty();
            assertThat(store.listOlderThan("", future)).containsExactly(b, a, c);

            assertThat(store.deletePrefix("results/a/")).isEqualTo(2);
            assertThat(store.open(a)).isEmpty();
            assertThat(store.delete(c)).isTrue();
            assertThat(store.delete(c)).isFalse();
        }
    }

    @Test
    void filesWaitInTheSpoolWhileS3IsDownAndAreUploadedWhenItIsBack() throws IOException {
        MutableClock clock = MutableClock.startingNow();
        Spool spool = new Spool(dir.resolve("spool-" + UUID.randomUUID()), 10_000_000);
        BlobKey first = BlobKey.of("sessions/2026/12/04/101010-s1.wav");
        BlobKey second = BlobKey.of("sessions/2026/12/04/101010-s1.json");
        try (SpoolingBlobStore store = new SpoolingBlobStore(store("p2"), spool, clock, false)) {
            store.put(BlobKey.of("results/x/transcript.txt"), new ByteArrayInputStream(bytes("before")));
            assertThat(store.state()).isEqualTo(SpoolingBlobStore.State.UP);

            s3.stop();
            try {
                store.put(first, new ByteArrayInputStream(bytes("audio")));
                store.put(second, new ByteArrayInputStream(bytes("{}")));
                assertThat(store.state()).isEqualTo(SpoolingBlobStore.State.DOWN);
                assertThat(store.pendingCount()).isEqualTo(2);
                assertThat(store.uploadFailures()).isEqualTo(1); // the second put went to the spool at once
                assertThat(read(store, first)).as("a spooled file reads as stored").isEqualTo(bytes("audio"));

                assertThat(store.retryNow()).as("S3 still down").isFalse();
                assertThat(store.nextAttempt()).isAfter(clock.instant());
                assertThat(store.pendingCount()).isEqualTo(2);
            } finally {
                s3.start();
            }
            store.tick(); // the backoff has not passed on the clock: nothing happens
            assertThat(store.pendingCount()).isEqualTo(2);
            clock.advance(Duration.ofMinutes(10));
            store.tick();
            assertThat(store.pendingCount()).isZero();
            assertThat(store.state()).isEqualTo(SpoolingBlobStore.State.UP);
            assertThat(s3.holds("p2/" + first.value())).isTrue();
            assertThat(s3.holds("p2/" + second.value())).isTrue();
            assertThat(read(store, first)).isEqualTo(bytes("audio"));
        }
    }

    @Test
    void aRestartUploadsWhatTheLastRunLeftInTheSpool() throws IOException {
        MutableClock clock = MutableClock.startingNow();
        Path spoolDir = dir.resolve("spool-" + UUID.randomUUID());
        BlobKey key = BlobKey.of("uploads/2026/12/04/j1/audio");
        s3.stop();
        try (SpoolingBlobStore store = new SpoolingBlobStore(store("p3"), new Spool(spoolDir, 10_000_000), clock,
                false)) {
            store.put(key, new ByteArrayInputStream(bytes("kept")));
            assertThat(store.pendingCount()).isEqualTo(1);
        } finally {
            s3.start();
        }
        try (SpoolingBlobStore again = new SpoolingBlobStore(store("p3"), new Spool(spoolDir, 10_000_000), clock,
                false)) {
            assertThat(again.state()).as("files from the last run: retry first").isEqualTo(
                    SpoolingBlobStore.State.DOWN);
            again.tick();
            assertThat(again.pendingCount()).isZero();
            assertThat(s3.holds("p3/" + key.value())).isTrue();
        }
    }

    @Test
    void aFullSpoolRefusesInsteadOfDropping() throws IOException {
        MutableClock clock = MutableClock.startingNow();
        Spool spool = new Spool(dir.resolve("spool-" + UUID.randomUUID()), 1000);
        s3.stop();
        try (SpoolingBlobStore store = new SpoolingBlobStore(store("p4"), spool, clock, false)) {
            store.put(BlobKey.of("uploads/a/audio"), new ByteArrayInputStream(new byte[900]));
            Path big = Files.write(dir.resolve("big-" + UUID.randomUUID()), new byte[200]);
            spool.remeasure();
            assertThatThrownBy(() -> store.putFile(BlobKey.of("uploads/b/audio"), big))
                    .isInstanceOf(SpoolFullException.class).hasMessageContaining("SPOOL_MAX_MB");
            assertThat(big).as("the caller keeps its file").exists();
            assertThat(spool.isFull()).isFalse();
            assertThatThrownBy(() -> spool.checkRoom(200)).isInstanceOf(SpoolFullException.class);
        } finally {
            s3.start();
        }
    }

    @Test
    void retentionDeletesArchivesOnS3AfterArchiveRetentionDays() throws Exception {
        MutableClock clock = MutableClock.startingNow();
        try (S3BlobStore store = store("p5")) {
            Instant started = Instant.parse("2026-12-04T10:11:12Z");
            BlobKey audio = BlobKey.sessionAudio("s-1", started);
            BlobKey sidecar = BlobKey.sessionSidecar("s-1", started);
            BlobKey index = BlobKey.sessionIndex("s-1");
            BlobKey result = BlobKey.of("results/j/transcript.txt");
            for (BlobKey k : List.of(audio, sidecar, index, result)) {
                store.put(k, new ByteArrayInputStream(bytes(k.value())));
            }
            assertThat(audio.value()).isEqualTo("sessions/2026/12/04/101112-s-1.wav");
            RetentionTask retention = new RetentionTask(null, store, clock, 0, 0, 30);

            assertThat(retention.runNow().archiveFiles()).as("younger than 30 days").isZero();
            clock.advance(Duration.ofDays(31));
            assertThat(retention.runNow().archiveFiles()).isEqualTo(3);
            assertThat(s3.holds("p5/" + audio.value())).isFalse();
            assertThat(s3.holds("p5/" + index.value())).isFalse();
            assertThat(s3.holds("p5/" + result.value())).as("not an archive").isTrue();

            assertThat(new RetentionTask(null, store, clock, 0, 0, 0).runNow().archiveFiles()).as("0 keeps")
                    .isZero();
        }
    }
}
