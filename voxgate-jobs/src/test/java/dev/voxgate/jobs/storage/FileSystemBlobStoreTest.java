package dev.voxgate.jobs.storage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(20)
class FileSystemBlobStoreTest {
    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-22T10:00:00Z"));
    private FileSystemBlobStore store;

    @BeforeEach
    void open() throws IOException {
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        store = new FileSystemBlobStore(dir.resolve("blobs"), clock);
    }

    @Test
    void putFileMovesTheFileIn() throws IOException {
        Path upload = Files.writeString(dir.resolve("upload.tmp"), "RIFF....");
        BlobKey key = BlobKey.of("uploads/2026/11/22/x/audio");
        store.putFile(key, upload);
        assertThat(upload).doesNotExist();
        assertThat(store.size(key)).hasValue(8);
        try (InputStream in = store.open(key).orElseThrow()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("RIFF....");
        }
        try (BlobStore.LocalBlob local = store.openLocal(key)) {
            assertThat(local.path()).isRegularFile().startsWith(store.root());
        }
    }

    @Test
    void putReplacesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        BlobKey key = BlobKey.of("results/j/transcript.txt");
        store.put(key, new ByteArrayInputStream("one".getBytes(StandardCharsets.UTF_8)));
        store.put(key, new ByteArrayInputStream("two".getBytes(StandardCharsets.UTF_8)));
        try (InputStream in = store.open(key).orElseThrow()) {
            assertThat(in.readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("two");
        }
        try (var staged = Files.list(store.root().resolve(".tmp"))) {
            assertThat(staged).isEmpty();
        }
    }

    @Test
    void missingObjectsAreEmptyNotErrors() throws IOException {
        BlobKey key = BlobKey.of("results/none/transcript.txt");
        assertThat(store.open(key)).isEmpty();
        assertThat(store.size(key)).isEmpty();
        assertThat(store.delete(key)).isFalse();
        assertThatThrownBy(() -> store.openLocal(key)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void deleteRemovesFoldersLeftEmpty() throws IOException {
        BlobKey key = BlobKey.of("uploads/2026/11/22/x/audio");
        store.put(key, new ByteArrayInputStream(new byte[3]));
        assertThat(store.delete(key)).isTrue();
        assertThat(store.root().resolve("uploads")).doesNotExist();
        assertThat(store.root()).isDirectory();
    }

    @Test
    void deletePrefixDeletesOnlyThatSubtree() throws IOException {
        store.put(BlobKey.of("results/a/transcript.txt"), new ByteArrayInputStream(new byte[1]));
        store.put(BlobKey.of("results/a/transcript.srt"), new ByteArrayInputStream(new byte[1]));
        store.put(BlobKey.of("results/ab/transcript.txt"), new ByteArrayInputStream(new byte[1]));
        assertThat(store.deletePrefix("results/a/")).isEqualTo(2);
        assertThat(store.size(BlobKey.of("results/ab/transcript.txt"))).isPresent();
        assertThat(store.deletePrefix("results/a/")).isZero();
        assertThatThrownBy(() -> store.deletePrefix("../")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listOlderThanUsesTheTimeOfStoringByTheInjectedClock() throws IOException {
        store.put(BlobKey.of("uploads/2026/11/22/old/audio"), new ByteArrayInputStream(new byte[1]));
        now.set(now.get().plus(Duration.ofDays(3)));
        store.put(BlobKey.of("uploads/2026/11/25/new/audio"), new ByteArrayInputStream(new byte[1]));
        store.put(BlobKey.of("results/old/transcript.txt"), new ByteArrayInputStream(new byte[1]));

        assertThat(store.listOlderThan("uploads/", now.get().minus(Duration.ofDays(1))))
                .containsExactly(BlobKey.of("uploads/2026/11/22/old/audio"));
        assertThat(store.listOlderThan("uploads/", now.get().plusSeconds(1))).hasSize(2);
        assertThat(store.listOlderThan("nothing/", now.get())).isEmpty();
    }
}
