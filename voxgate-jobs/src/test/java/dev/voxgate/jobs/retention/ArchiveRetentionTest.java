package dev.voxgate.jobs.retention;

import dev.voxgate.jobs.storage.BlobKey;
import dev.voxgate.jobs.storage.FileSystemBlobStore;
import dev.voxgate.jobs.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** ARCHIVE_RETENTION_DAYS on the local store: archives go after their days by the injected clock, nothing else. */
@Timeout(20)
class ArchiveRetentionTest {
    @TempDir
    Path dir;

    @Test
    void archivesOlderThanTheirRetentionAreDeletedAndZeroKeepsThem() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"), Duration.ZERO);
        FileSystemBlobStore store = new FileSystemBlobStore(dir, clock);
        Instant started = Instant.parse("2026-12-04T09:59:00Z");
        List<BlobKey> archive = List.of(BlobKey.sessionAudio("s1", started), BlobKey.sessionSidecar("s1", started),
                BlobKey.sessionIndex("s1"));
        for (BlobKey k : archive) store.put(k, new ByteArrayInputStream(new byte[] {1}));
        BlobKey result = BlobKey.of("results/j/transcript.txt");
        store.put(result, new ByteArrayInputStream(new byte[] {1}));

        clock.advance(Duration.ofDays(31));
        assertThat(new RetentionTask(null, store, clock, 0, 0, 0).runNow().archiveFiles()).as("0 keeps").isZero();
        assertThat(new RetentionTask(null, store, clock, 0, 0, 32).runNow().archiveFiles()).as("not yet").isZero();
        assertThat(new RetentionTask(null, store, clock, 0, 0, 30).runNow().archiveFiles()).isEqualTo(3);
        for (BlobKey k : archive) assertThat(store.size(k)).as(k.value()).isEmpty();
        assertThat(store.size(result)).as("not an archive").isPresent();
    }
}
