package dev.voxgate.jobs;

import dev.voxgate.jobs.db.Database;
import dev.voxgate.jobs.support.ScriptedTranscriber;
import dev.voxgate.jobs.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteTranscriptionJobsIT extends TranscriptionJobsContract {
    @Override
    TestDatabase newDatabase(Path dir) {
        return TestDatabase.sqlite(dir.resolve("data"));
    }

    @Test
    void theDefaultDatabaseIsSqliteInTheDataFolder() throws Exception {
        JobsBackend b =
                start(JobsConfig.defaults(dir.resolve("data")).withWorkerConcurrency(0), ScriptedTranscriber.wav(),
                        Clock.systemUTC());
        assertThat(b.databaseVendor()).isEqualTo(Database.Vendor.SQLITE);
        assertThat(dir.resolve("data/voxgate.db")).exists();
        assertThat(dir.resolve("data/blobs")).isDirectory();
    }

    @Test
    void theDashboardListensOnLoopbackOnly() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        JobsBackend b =
                start(config().withWorkerConcurrency(0).withDashboardPort(port), ScriptedTranscriber.wav(),
                        Clock.systemUTC());
        var address = b.dashboardAddress().orElseThrow();
        assertThat(address.getAddress().isLoopbackAddress()).isTrue();
        assertThat(address.getPort()).isEqualTo(port);
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/jobs?state=ENQUEUED")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void aTakenDashboardPortStopsStartUpNamingTheVariable() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            JobsConfig c = config().withDashboardPort(taken.getLocalPort());
            assertThatThrownBy(() -> JobsBackend.start(c, ScriptedTranscriber.wav(), Clock.systemUTC()))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("JOBS_DASHBOARD_PORT=" + taken.getLocalPort()
                            + ": cannot listen on 127.0.0.1");
        }
        // The failed start left nothing holding the database: another node starts on it.
        start(config().withWorkerConcurrency(0), ScriptedTranscriber.wav(), Clock.systemUTC());
    }

    @Test
    void anUnusableDataDirStopsStartUpNamingTheVariable() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        JobsConfig c = JobsConfig.defaults(notADir);
        assertThatThrownBy(() -> JobsBackend.start(c, ScriptedTranscriber.wav(), Clock.systemUTC()))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("DATA_DIR=" + notADir + " is not usable");
    }

    @Test
    void theDashboardIsOffByDefault() throws Exception {
        JobsBackend b = start(config().withWorkerConcurrency(0), ScriptedTranscriber.wav(), Clock.systemUTC());
        assertThat(b.dashboardAddress()).isEmpty();
    }
}
