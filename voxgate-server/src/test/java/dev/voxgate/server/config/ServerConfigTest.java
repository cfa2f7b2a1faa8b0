package dev.voxgate.server.config;

import dev.voxgate.jobs.db.DatabaseTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ServerConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        ServerConfig c = ServerConfig.from(Settings.of(Map.of()));
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.defaultEngine()).isEqualTo("vosk");
        assertThat(c.connectionTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(c.inactivityTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.transcribeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.maxFrameBytes()).isEqualTo(262144);
        assertThat(c.maxSessions()).isEqualTo(Math.max(4, Runtime.getRuntime().availableProcessors() * 4));
        assertThat(c.logFormat()).isEqualTo("text");
        assertThat(c.uploads().maxFileBytes()).isEqualTo(200L * 1024 * 1024);
        assertThat(c.uploads().allowedFormats())
                .containsExactlyInAnyOrder("mp3", "wav", "m4a", "flac", "ogg", "opus", "webm");
        assertThat(c.jobs().workerConcurrency()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(c.jobs().jobTimeout()).isEqualTo(Duration.ofMinutes(120));
        assertThat(c.jobs().maxRetries()).isEqualTo(3);
        assertThat(c.jobs().timings().pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.jobs().uploadRetentionDays()).isEqualTo(7);
        assertThat(c.jobs().transcriptRetentionDays()).isEqualTo(30);
        assertThat(c.jobs().dashboardPort()).as("dashboard off").isZero();
        assertThat(c.jobs().database()).isInstanceOf(DatabaseTarget.Sqlite.class);
    }

    @ParameterizedTest
    @CsvSource({
            "PORT, abc", "PORT, 70000", "PORT, -1",
            "CONNECTION_TIMEOUT_MS, soon", "INACTIVITY_TIMEOUT_MS, 5", "TRANSCRIBE_TIMEOUT_MS, -100",
            "MAX_SESSIONS, 0", "MAX_FRAME_BYTES, 1", "DECODER_THREADS, many",
            "LOG_LEVEL, loud", "LOG_FORMAT, xml", "MAX_FILE_SIZE_MB, 0", "MAX_FILE_SIZE_MB, big",
            "ALLOWED_AUDIO_FORMATS, mp3 wav", "ALLOWED_AUDIO_FORMATS, ../exe"})
    void wrongValueStopsStartUpNamingTheVariable(String name, String value) {
        assertThatThrownBy(() -> ServerConfig.from(Settings.of(Map.of(name, value))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(name + "=" + value);
    }

    /** voxgate-jobs reads these; its messages name the variable first and quote the value ("X must be …, not 'v'"). */
    @ParameterizedTest
    @CsvSource({
            "WORKER_CONCURRENCY, -1", "JOB_TIMEOUT_MINUTES, 0", "JOB_MAX_RETRIES, lots", "UPLOAD_RETENTION_DAYS, -1",
            "TRANSCRIPT_RETENTION_DAYS, week", "JOB_POLL_SECONDS, 1", "JOBS_DASHBOARD_PORT, 70000",
            "DATABASE_URL, mysql://db/jobs"})
    void wrongJobValueStopsStartUpNamingTheVariable(String name, String value) {
        assertThatThrownBy(() -> ServerConfig.from(Settings.of(Map.of(name, value))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(name)
                .hasMessageContaining(value);
    }

    @Test
    void jobSettingsReachTheJobBackEnd(@TempDir Path dir) {
        ServerConfig c = ServerConfig.from(Settings.of(Map.of("DATA_DIR", dir.toString(), "WORKER_CONCURRENCY", "2",
                "JOB_TIMEOUT_MINUTES", "30", "JOB_MAX_RETRIES", "1", "JOB_POLL_SECONDS", "7",
                "UPLOAD_RETENTION_DAYS", "0", "TRANSCRIPT_RETENTION_DAYS", "90", "JOBS_DASHBOARD_PORT", "8001")));
        assertThat(c.jobs().dataDir()).isEqualTo(dir);
        assertThat(c.uploads().dataDir()).as("uploads and jobs share DATA_DIR").isEqualTo(dir);
        assertThat(c.jobs().database()).isEqualTo(new DatabaseTarget.Sqlite(dir.resolve("voxgate.db")));
        assertThat(c.jobs().workerConcurrency()).isEqualTo(2);
        assertThat(c.jobs().jobTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.jobs().maxRetries()).isEqualTo(1);
        assertThat(c.jobs().timings().pollInterval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.jobs().uploadRetentionDays()).isZero();
        assertThat(c.jobs().transcriptRetentionDays()).isEqualTo(90);
        assertThat(c.jobs().dashboardPort()).isEqualTo(8001);
    }

    @Test
    void fileIsOverriddenByEnvironmentWhichIsOverriddenByFlags(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("voxgate.properties");
        Files.writeString(file, "PORT=9001\nMAX_SESSIONS=3\nENGINE=fromfile\n");
        Settings s = Settings.load(Map.of("VOXGATE_CONFIG", file.toString(), "PORT", "9002", "ENGINE", "fromenv"),
                Map.of("ENGINE", "fromflag"));
        ServerConfig c = ServerConfig.from(s);
        assertThat(c.maxSessions()).isEqualTo(3);
        assertThat(c.port()).isEqualTo(9002);
        assertThat(c.defaultEngine()).isEqualTo("fromflag");
    }

    @Test
    void unreadableConfigFileIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> Settings.load(Map.of("VOXGATE_CONFIG", dir.resolve("missing.properties").toString()),
                Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("VOXGATE_CONFIG=");
    }
}
