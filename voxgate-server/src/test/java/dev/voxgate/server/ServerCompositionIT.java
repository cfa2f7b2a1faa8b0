package dev.voxgate.server;

import dev.voxgate.testkit.FakeEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The composition root's seam: the same route table, with or without the job queue. */
@Timeout(60)
class ServerCompositionIT {

    @Test
    void aServerWithoutJobsOpensNoJobDatabaseAndHasNoJobRoutes(@TempDir Path data) {
        try (TestServer s = TestServer.streaming(Map.of("DATA_DIR", data.toString()),
                FakeEngine.builder("fake").build())) {
            HttpResponse<String> jobs = s.get("/api/jobs");
            assertThat(jobs.statusCode()).isEqualTo(404);
            assertThat(jobs.body()).contains("\"code\":\"not_found\"");
            assertThat(s.get("/ready").body()).doesNotContain("jobDatabase");
            assertThat(s.get("/v1/models").statusCode()).as("the rest of the table is there").isEqualTo(200);
        }
        assertThat(data.resolve("voxgate.db")).doesNotExist();
    }

    @Test
    void theFullServerHasTheJobQueue(@TempDir Path data) {
        try (TestServer s = TestServer.start(Map.of("DATA_DIR", data.toString()), FakeEngine.builder("fake").build())) {
            assertThat(s.get("/api/jobs").statusCode()).isEqualTo(200);
            assertThat(s.get("/ready").body()).contains("jobDatabase");
        }
        assertThat(Files.exists(data.resolve("voxgate.db"))).isTrue();
    }
}
