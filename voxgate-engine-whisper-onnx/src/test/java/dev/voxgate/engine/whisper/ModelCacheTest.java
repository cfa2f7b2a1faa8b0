package dev.voxgate.engine.whisper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Extraction of a bundled model into the cache, with the small VAD model. */
@Timeout(60)
class ModelCacheTest {
    private static final ModelSpec VAD = ModelSpec.vad();

    @Test
    void extractsOnceIntoTheWhisperOnnxFolderAndReusesAVerifiedCopy(@TempDir Path cache) throws Exception {
        Path file = ModelCache.bundled(VAD, cache);
        assertThat(file).isEqualTo(cache.resolve("whisper-onnx").resolve("silero_vad-1a153a22f450.onnx"));
        assertThat(Files.size(file)).isEqualTo(VAD.size());
        assertThat(Checksums.sha256(file)).isEqualTo(VAD.sha256());
        FileTime old = FileTime.from(Instant.now().minus(1, ChronoUnit.DAYS));
        Files.setLastModifiedTime(file, old);
        assertThat(ModelCache.bundled(VAD, cache)).isEqualTo(file);
        assertThat(Files.getLastModifiedTime(file)).as("a good copy is not written again").isEqualTo(old);
        try (var left = Files.list(file.getParent())) {
            assertThat(left).containsExactly(file);
        }
    }

    @Test
    void aTruncatedCopyIsExtractedAgain(@TempDir Path cache) throws Exception {
        Path file = ModelCache.bundled(VAD, cache);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(1000);
        }
        assertThat(ModelCache.problem(file, VAD.size(), VAD.sha256()))
                .hasValueSatisfying(p -> assertThat(p).contains("truncated"));
        assertThat(ModelCache.bundled(VAD, cache)).isEqualTo(file);
        assertThat(ModelCache.problem(file, VAD.size(), VAD.sha256())).isEmpty();
    }

    @Test
    void aCorruptedCopyOfTheRightSizeIsExtractedAgain(@TempDir Path cache) throws Exception {
        Path file = ModelCache.bundled(VAD, cache);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(VAD.size() / 2);
            f.write(new byte[64]);
        }
        assertThat(ModelCache.problem(file, VAD.size(), VAD.sha256()))
                .hasValueSatisfying(p -> assertThat(p).contains("sha256", "corrupted"));
        ModelCache.bundled(VAD, cache);
        assertThat(Checksums.sha256(file)).isEqualTo(VAD.sha256());
    }

    @Test
    void leftoversOfACrashedExtractionAreRemovedOnceStale(@TempDir Path cache) throws Exception {
        Path dir = Files.createDirectories(cache.resolve("whisper-onnx"));
        Path stale = Files.writeString(dir.resolve(".silero_vad.onnx.dead.part"), "half");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(2, ChronoUnit.HOURS)));
        Path fresh = Files.writeString(dir.resolve(".silero_vad.onnx.busy.part"), "another process at work");
        ModelCache.bundled(VAD, cache);
        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
    }

    @Test
    void problemsAreNamed(@TempDir Path dir) throws Exception {
        assertThat(ModelCache.problem(dir.resolve("none"), 10, "00")).contains("does not exist");
        assertThat(ModelCache.problem(dir, 10, "00")).contains("is not a regular file");
        Path big = Files.write(dir.resolve("big"), new byte[20]);
        assertThat(ModelCache.problem(big, 10, "00")).contains("is 20 bytes, expected 10");
    }
}
