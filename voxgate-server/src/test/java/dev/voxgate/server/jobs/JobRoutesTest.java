package dev.voxgate.server.jobs;

import dev.voxgate.jobs.JobRecord;
import dev.voxgate.jobs.JobRequest;
import dev.voxgate.jobs.JobStatus;
import dev.voxgate.jobs.ResultFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(5)
class JobRoutesTest {
    private static JobRecord job(JobStatus status, Instant created, Instant started, String errorCode,
            String errorMessage) {
        return new JobRecord(UUID.fromString("00000000-0000-0000-0000-000000000001"), status, 0,
                new JobRequest("fake", "en", EnumSet.allOf(ResultFormat.class)), "a.wav", "wav", 10, 1.0,
                created, started, null, errorCode, errorMessage, 1, "uploads/x", List.of(), null, null);
    }

    @Test
    void timestampsHaveMillisecondsInEveryReply() {
        Map<String, Object> fromMemory = JobRoutes.view(job(JobStatus.QUEUED,
                Instant.parse("2026-12-01T10:15:30.123456789Z"),
                Instant.parse("2026-12-01T10:15:31Z"), null, null));
        assertThat(fromMemory.get("createdAt")).isEqualTo("2026-12-01T10:15:30.123Z");
        assertThat(fromMemory.get("startedAt")).isEqualTo("2026-12-01T10:15:31.000Z");
        assertThat(fromMemory.get("finishedAt")).isNull();
        Map<String, Object> fromDatabase = JobRoutes.view(job(JobStatus.QUEUED,
                Instant.parse("2026-12-01T10:15:30.123Z"),
                null, null, null));
        assertThat(fromDatabase.get("createdAt")).isEqualTo(fromMemory.get("createdAt"));
    }

    @Test
    void aServerSideFailureIsReportedWithoutTheExceptionText() {
        Map<?, ?> error = (Map<?, ?>) JobRoutes.view(job(JobStatus.FAILED, Instant.EPOCH, Instant.EPOCH,
                "internal_error",
                "IllegalStateException: no file /var/lib/voxgate/blobs/x")).get("error");
        assertThat(error.get("code")).isEqualTo("internal_error");
        assertThat((String) error.get("message")).contains("server's log")
                .contains("00000000-0000-0000-0000-000000000001")
                .doesNotContain("IllegalStateException").doesNotContain("/var/lib");
        Map<?, ?> io = (Map<?, ?>) JobRoutes.view(job(JobStatus.QUEUED, Instant.EPOCH, null, "io_error",
                "reading or writing a file failed: /data/blobs/x (No space left on device)")).get("error");
        assertThat((String) io.get("message")).doesNotContain("/data").contains("tried again");
    }

    @Test
    void aFilesOwnProblemKeepsItsMessage() {
        Map<?, ?> error = (Map<?, ?>) JobRoutes.view(job(JobStatus.FAILED, Instant.EPOCH, Instant.EPOCH, "not_audio",
                "the file is not an audio file (it looks like text)")).get("error");
        assertThat(error.get("message")).isEqualTo("the file is not an audio file (it looks like text)");
    }
}
