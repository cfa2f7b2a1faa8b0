package dev.voxgate.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.ffmpeg.Encoding;
import dev.voxgate.jobs.support.S3ProxyServer;
import dev.voxgate.server.Multipart;
import dev.voxgate.server.Speech;
import dev.voxgate.server.TestEngines;
import dev.voxgate.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two server processes' worth of job workers (two servers in this JVM, each with its own JobRunr
 * background server) on one real PostgreSQL database: every job runs exactly once and all succeed.
 * Uses the PostgreSQL the machines run on 127.0.0.1:5432 (POSTGRES_TEST_URL overrides), in a
 * database created for the run and dropped after it.
 */
@Timeout(600)
class PostgresJobsIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = System.getenv()
            .getOrDefault("POSTGRES_TEST_URL", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    private static final String DB = "voxgate_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @TempDir
    static Path dir;
    private static byte[] mp3;

    @BeforeAll
    static void database() throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + DB);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgresJobsIT needs a PostgreSQL server at " + ADMIN
                    + " (the machines run one; set POSTGRES_TEST_URL to another): " + e.getMessage(), e);
        }
        PcmAudio audio = Speech.audio(Speech.corpus().first(3).get(2));
        mp3 = Files.readAllBytes(Encoding.MP3.encode(dir.resolve("speech.mp3"), audio.sampleRate(), audio.samples()));
    }

    @AfterAll
    static void drop() throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }

    @Test
    void twoNodesShareTheQueueAndEachJobRunsOnce() throws Exception {
        String url = "postgresql://postgres@127.0.0.1:5432/" + DB;
        Map<String, String> node = Map.of("DATABASE_URL", url, "WORKER_CONCURRENCY", "1", "JOB_POLL_SECONDS", "5");
        // Nodes share DATA_DIR's files (a shared volume, the deployment without S3); the queue is PostgreSQL's.
        try (TestServer a = TestServer.start(withDataDir(node, "shared"), TestEngines.vosk());
             TestServer b = TestServer.start(withDataDir(node, "shared"), TestEngines.vosk())) {
            runJobsOnTwoNodes(a, b, 6);
        }
    }

    /**
     * Two nodes with their own DATA_DIRs (no shared disk): uploads and results go through S3 (s3proxy in this JVM),
     * the queue through PostgreSQL; a job node a accepted can run on node b and its transcript is read on either.
     */
    @Test
    void twoNodesWithSeparateDataDirsShareJobsThroughPostgresAndS3() throws Exception {
        String url = "postgresql://postgres@127.0.0.1:5432/" + DB;
        try (S3ProxyServer s3 = S3ProxyServer.start(dir.resolve("s3"), "voxgate-jobs")) {
            Map<String, String> node = new HashMap<>(Map.of("DATABASE_URL", url, "WORKER_CONCURRENCY", "1",
                    "JOB_POLL_SECONDS", "5"));
            node.putAll(s3.environment("cluster"));
            try (TestServer a = TestServer.start(withDataDir(node, "node-a"), TestEngines.vosk());
                 TestServer b = TestServer.start(withDataDir(node, "node-b"), TestEngines.vosk())) {
                List<String> ids = runJobsOnTwoNodes(a, b, 4);
                for (String id : ids) {
                    assertThat(b.get("/api/jobs/" + id + "/transcript.txt").body()).isNotBlank();
                }
                assertThat(s3.holds("cluster/results/" + ids.get(0) + "/transcript.txt")).isTrue();
            }
            for (String n : List.of("node-a", "node-b")) {
                Path blobs = dir.resolve(n).resolve("blobs");
                try (Stream<Path> local = Files.exists(blobs) ? Files.walk(blobs) : Stream.empty()) {
                    assertThat(local.filter(Files::isRegularFile).toList()).as(n + " keeps nothing on its own disk")
                            .isEmpty();
                }
            }
        }
    }

    private List<String> runJobsOnTwoNodes(TestServer a, TestServer b, int count) throws Exception {
        {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                HttpResponse<String> r = HTTP.send(new Multipart().file("file", "j" + i + ".mp3", mp3)
                        .post(a.http("/api/jobs")),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                ids.add(JSON.readTree(r.body()).path("id").asText());
            }
            // Node b sees the jobs node a accepted (one database), and the two nodes' workers share them.
            Instant deadline = Instant.now().plus(Duration.ofSeconds(240));
            List<JsonNode> done = new ArrayList<>();
            while (Instant.now().isBefore(deadline)) {
                done.clear();
                for (String id : ids) {
                    JsonNode j = JSON.readTree(b.get("/api/jobs/" + id).body());
                    if (j.path("status").asText().equals("succeeded")
                            || j.path("status").asText().equals("failed")) done.add(j);
                }
                if (done.size() == ids.size()) break;
                Thread.sleep(500);
            }
            assertThat(done).hasSize(ids.size());
            assertThat(done).allMatch(j -> j.path("status").asText().equals("succeeded"), "all succeeded");
            assertThat(done).allMatch(j -> j.path("attempts").asInt() == 1, "each ran exactly once");
            Set<String> nodes = new HashSet<>();
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DB
                    + "?user=postgres");
                 Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT DISTINCT worker_id FROM "
                         + "jobs")) {
                while (rs.next()) nodes.add(rs.getString(1));
            }
            System.out.println("[jobs] " + count + " jobs on PostgreSQL ran on nodes " + nodes);
            assertThat(a.get("/api/jobs/" + ids.get(0) + "/transcript.txt").body()).isNotBlank();
            return ids;
        }
    }

    private static Map<String, String> withDataDir(Map<String, String> settings, String name) {
        Map<String, String> s = new HashMap<>(settings);
        s.put("DATA_DIR", dir.resolve(name).toString());
        return s;
    }
}
