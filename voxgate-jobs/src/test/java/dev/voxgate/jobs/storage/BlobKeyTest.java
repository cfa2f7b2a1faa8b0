package dev.voxgate.jobs.storage;

import dev.voxgate.jobs.ResultFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class BlobKeyTest {
    private static final UUID ID = UUID.fromString("6f1c1d4e-7d1a-4c8e-9a51-0d8f2b3c4d5e");

    @Test
    void uploadKeysAreDatedInUtcAndEndWithTheJobId() {
        assertThat(BlobKey.upload(ID, Instant.parse("2026-11-22T23:30:00Z")).value())
                .isEqualTo("uploads/2026/11/22/" + ID + "/audio");
    }

    @Test
    void resultKeysLiveUnderTheJobsPrefix() {
        BlobKey k = BlobKey.result(ID, ResultFormat.SRT);
        assertThat(k.value()).isEqualTo("results/" + ID + "/transcript.srt");
        assertThat(k.startsWith(BlobKey.resultPrefix(ID))).isTrue();
        assertThat(k.fileName()).isEqualTo("transcript.srt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/etc/passwd", "a/../b", "..", "a/./b", "a//b", "a/b/", "a\\b", ".hidden", "a/.tmp/x",
            "na me", "a/b\u0000c", "ünïcode", "C:/x", "a,b"})
    void rejectsKeysThatCouldLeaveTheStoreOrAreNotPlain(String bad) {
        assertThatThrownBy(() -> BlobKey.of(bad)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsOverlongKeys() {
        assertThatThrownBy(() -> BlobKey.of("a/".repeat(300) + "b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void prefixesAreWholeSegmentsEndingWithASlash() {
        assertThat(BlobKey.checkPrefix("results/" + ID + "/")).endsWith("/");
        assertThat(BlobKey.checkPrefix("")).isEmpty();
        assertThatThrownBy(() -> BlobKey.checkPrefix("results")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlobKey.checkPrefix("../")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlobKey.checkPrefix("/")).isInstanceOf(IllegalArgumentException.class);
    }
}
