package dev.voxgate.jobs.storage;

import dev.voxgate.jobs.JobsConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class StorageConfigTest {
    @Test
    void defaultsAreALocalFolderNoArchiveAndThirtyDays() {
        StorageConfig c = StorageConfig.fromEnvironment(Map.of());
        assertThat(c.s3()).isEmpty();
        assertThat(c.archiveAudio()).isFalse();
        assertThat(c.archiveRetentionDays()).isEqualTo(30);
        assertThat(c.spoolMaxBytes()).isEqualTo(1024L * 1024 * 1024);
    }

    @Test
    void s3SettingsAreRead() {
        StorageConfig c = StorageConfig.fromEnvironment(Map.of("S3_BUCKET", "voxgate-data", "S3_PREFIX", "prod",
                "S3_ENDPOINT", "http://minio:9000", "S3_PATH_STYLE", "true", "AWS_REGION", "eu-west-1",
                "S3_SSE", "aws:kms", "SPOOL_MAX_MB", "5", "ARCHIVE_AUDIO", "true", "ARCHIVE_RETENTION_DAYS", "0"));
        StorageConfig.S3Config s3 = c.s3().orElseThrow();
        assertThat(s3.bucket()).isEqualTo("voxgate-data");
        assertThat(s3.prefix()).isEqualTo("prod/");
        assertThat(s3.endpoint()).contains(URI.create("http://minio:9000"));
        assertThat(s3.pathStyle()).isTrue();
        assertThat(s3.region()).isEqualTo("eu-west-1");
        assertThat(s3.sse()).contains("aws:kms");
        assertThat(c.spoolMaxBytes()).isEqualTo(5L * 1024 * 1024);
        assertThat(c.archiveAudio()).isTrue();
        assertThat(c.archiveRetentionDays()).isZero();
    }

    @Test
    void wrongValuesNameTheVariable() {
        for (var bad : Map.of("S3_BUCKET", "ab", "S3_ENDPOINT", "minio:9000", "S3_SSE", "rot13", "SPOOL_MAX_MB", "0",
                "ARCHIVE_AUDIO", "maybe", "ARCHIVE_RETENTION_DAYS", "-1", "S3_PREFIX", "../x").entrySet()) {
            Map<String, String> env = bad.getKey().startsWith("S3_") && !bad.getKey().equals("S3_BUCKET")
                    ? Map.of("S3_BUCKET", "voxgate-data", bad.getKey(), bad.getValue())
                    : Map.of(bad.getKey(), bad.getValue());
            assertThatThrownBy(() -> StorageConfig.fromEnvironment(env)).as(bad.toString())
                    .isInstanceOf(JobsConfigException.class).hasMessageContaining(bad.getKey());
        }
    }

    @Test
    void sessionKeysAreDatedByTheStartInUtcAndRefuseIdsThatWalkPaths() {
        Instant t = Instant.parse("2026-12-04T23:59:58Z");
        assertThat(BlobKey.sessionAudio("abc-1", t).value()).isEqualTo("sessions/2026/12/04/235958-abc-1.wav");
        assertThat(BlobKey.sessionSidecar("abc-1", t).value()).isEqualTo("sessions/2026/12/04/235958-abc-1.json");
        assertThat(BlobKey.sessionIndex("abc-1").value()).isEqualTo("sessions/ids/abc-1.json");
        for (String bad : new String[] {"..", "a/b", "a.b", "", "x".repeat(101)}) {
            assertThat(BlobKey.isSessionId(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> BlobKey.sessionIndex(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
