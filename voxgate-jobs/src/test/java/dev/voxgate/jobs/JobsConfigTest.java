package dev.voxgate.jobs;

import dev.voxgate.jobs.db.DatabaseTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class JobsConfigTest {

    @Test
    void defaultsFollowTheReadme() {
        JobsConfig c = JobsConfig.fromEnvironment(Map.of("XDG_DATA_HOME", "/srv/xdg"));
        assertThat(c.dataDir()).isEqualTo(Path.of("/srv/xdg/voxgate"));
        assertThat(c.database()).isEqualTo(new DatabaseTarget.Sqlite(Path.of("/srv/xdg/voxgate/voxgate.db")));
        assertThat(c.blobDir()).isEqualTo(Path.of("/srv/xdg/voxgate/blobs"));
        assertThat(c.workerConcurrency()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(c.jobTimeout()).isEqualTo(Duration.ofMinutes(120));
        assertThat(c.maxRetries()).isEqualTo(3);
        assertThat(c.uploadRetentionDays()).isEqualTo(7);
        assertThat(c.transcriptRetentionDays()).isEqualTo(30);
        assertThat(c.dashboardPort()).isZero();
        assertThat(c.timings().pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.timings().serverTimeout()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void dataDirFallsBackToTheHomeFolderWithoutAnAbsoluteXdgDataHome() {
        Path home = Path.of(System.getProperty("user.home"), ".local", "share", "voxgate");
        assertThat(JobsConfig.fromEnvironment(Map.of()).dataDir()).isEqualTo(home);
        assertThat(JobsConfig.fromEnvironment(Map.of("XDG_DATA_HOME", "relative/dir")).dataDir()).isEqualTo(home);
    }

    @Test
    void readsEveryVariable() {
        JobsConfig c = JobsConfig.fromEnvironment(Map.of(
                "DATA_DIR", "/data", "DATABASE_URL", "postgres://u:p%40ss@db.internal/voxgate", "WORKER_CONCURRENCY",
                "0",
                "JOB_TIMEOUT_MINUTES", "5", "JOB_MAX_RETRIES", "0", "UPLOAD_RETENTION_DAYS", "0",
                "TRANSCRIPT_RETENTION_DAYS", "365", "JOBS_DASHBOARD_PORT", "8000", "JOB_POLL_SECONDS", "15"));
        assertThat(c.dataDir()).isEqualTo(Path.of("/data"));
        assertThat(c.database())
                .isEqualTo(new DatabaseTarget.Postgres("jdbc:postgresql://db.internal:5432/voxgate", "u", "p@ss"));
        assertThat(c.workerConcurrency()).isZero();
        assertThat(c.jobTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.maxRetries()).isZero();
        assertThat(c.uploadRetentionDays()).isZero();
        assertThat(c.transcriptRetentionDays()).isEqualTo(365);
        assertThat(c.dashboardPort()).isEqualTo(8000);
        assertThat(c.timings().pollInterval()).isEqualTo(Duration.ofSeconds(15));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "WORKER_CONCURRENCY|many|WORKER_CONCURRENCY must be a whole number from 0 to 1024, not 'many'",
            "WORKER_CONCURRENCY|-1|WORKER_CONCURRENCY must be a whole number from 0 to 1024, not '-1'",
            "JOB_TIMEOUT_MINUTES|0|JOB_TIMEOUT_MINUTES must be a whole number from 1",
            "JOB_MAX_RETRIES|2.5|JOB_MAX_RETRIES must be a whole number",
            "UPLOAD_RETENTION_DAYS|-7|UPLOAD_RETENTION_DAYS must be a whole number from 0",
            "TRANSCRIPT_RETENTION_DAYS|thirty|TRANSCRIPT_RETENTION_DAYS must be a whole number",
            "JOBS_DASHBOARD_PORT|70000|JOBS_DASHBOARD_PORT must be a whole number from 0 to 65535",
            "JOB_POLL_SECONDS|1|JOB_POLL_SECONDS must be a whole number from 5 to 3600",
            "DATABASE_URL|mysql://db/x|DATABASE_URL=mysql://db/x is not a PostgreSQL URL",
            "DATABASE_URL|postgresql://user:secret@/db|DATABASE_URL=postgresql://user:***@/db needs a host and a "
                    + "database name"})
    void badValuesNameTheVariable(String name, String value, String message) {
        assertThatThrownBy(() -> JobsConfig.fromEnvironment(Map.of(name, value)))
                .isInstanceOf(JobsConfigException.class)
                .hasMessageStartingWith(message)
                .hasMessageNotContaining("secret");
    }

    @Test
    void databaseUrlForms() {
        Path sqlite = Path.of("/d/voxgate.db");
        assertThat(DatabaseTarget.parse(" ", sqlite)).isEqualTo(new DatabaseTarget.Sqlite(sqlite));
        assertThat(DatabaseTarget.parse("postgresql://postgres@127.0.0.1:5433/test?sslmode=disable", sqlite))
                .isEqualTo(new DatabaseTarget.Postgres("jdbc:postgresql://127.0.0.1:5433/test?sslmode=disable",
                        "postgres", null));
        assertThat(DatabaseTarget.parse("jdbc:postgresql://h/db?user=x", sqlite))
                .isEqualTo(new DatabaseTarget.Postgres("jdbc:postgresql://h/db?user=x", null, null));
        assertThat(new DatabaseTarget.Postgres("jdbc:postgresql://h/db", "u", "secret").toString())
                .doesNotContain("secret");
        assertThat(DatabaseTarget.redact("jdbc:postgresql://h/db?user=x&password=secret")).doesNotContain("secret");
    }

    @Test
    void timingsRefuseWhatJobRunrRefuses() {
        assertThatThrownBy(() -> JobsConfig.Timings.defaults().withPollInterval(Duration.ofSeconds(1)))
                .isInstanceOf(JobsConfigException.class).hasMessageContaining("JOB_POLL_SECONDS");
        assertThatThrownBy(() ->
                new JobsConfig.Timings(Duration.ofSeconds(5), 3, 3, Duration.ZERO, Duration.ofHours(1)))
                .isInstanceOf(JobsConfigException.class);
    }
}
