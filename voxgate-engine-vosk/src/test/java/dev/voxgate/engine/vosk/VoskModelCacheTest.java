package dev.voxgate.engine.vosk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(120)
class VoskModelCacheTest {

    @Test
    void extractsTheBundledModelOnceAndMarksIt(@TempDir Path cache) throws Exception {
        Path model = VoskModelCache.bundledModel(cache);
        String uuid = VoskModelCache.bundledUuid();
        assertThat(model.getFileName().toString()).endsWith(uuid);
        assertThat(model.resolve("am/final.mdl")).isRegularFile();
        assertThat(Files.readString(model.resolve(VoskModelCache.MARKER)).strip()).isEqualTo(uuid);
        Path sentinel = Files.writeString(model.resolve("sentinel"), "kept");
        assertThat(VoskModelCache.bundledModel(cache)).isEqualTo(model);
        assertThat(sentinel).as("a complete model is reused, not extracted again").exists();
        try (var leftovers = Files.list(cache)) {
            assertThat(leftovers.filter(p -> p.getFileName().toString().startsWith(".extract-"))).isEmpty();
        }
    }

    @Test
    void halfExtractedFolderFromACrashIsNeverUsed(@TempDir Path cache) throws Exception {
        String uuid = VoskModelCache.bundledUuid();
        Path target = cache.resolve("vosk-model-en-us-" + uuid);
        Files.createDirectories(target.resolve("am"));
        Files.writeString(target.resolve("am/final.mdl"), "truncated");
        Files.writeString(target.resolve("junk"), "from the crash");
        Path model = VoskModelCache.bundledModel(cache);
        assertThat(model).isEqualTo(target);
        assertThat(target.resolve("junk")).doesNotExist();
        assertThat(Files.size(target.resolve("am/final.mdl"))).isGreaterThan(1_000_000);
        assertThat(VoskModelCache.isComplete(target, uuid)).isTrue();
    }

    @Test
    void markerOfAnotherModelMeansExtractAgain(@TempDir Path cache) throws Exception {
        String uuid = VoskModelCache.bundledUuid();
        Path target = cache.resolve("vosk-model-en-us-" + uuid);
        Files.createDirectories(target.resolve("am"));
        Files.writeString(target.resolve("am/final.mdl"), "x");
        Files.writeString(target.resolve(VoskModelCache.MARKER), "another-uuid");
        assertThat(VoskModelCache.isComplete(target, uuid)).isFalse();
        VoskModelCache.bundledModel(cache);
        assertThat(VoskModelCache.isComplete(target, uuid)).isTrue();
    }
}
