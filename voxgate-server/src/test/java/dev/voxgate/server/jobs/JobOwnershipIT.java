package dev.voxgate.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.audio.WavWriter;
import dev.voxgate.server.KeyedTestServer;
import dev.voxgate.server.Multipart;
import dev.voxgate.testkit.FakeEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs and transcripts belong to the API key that submitted them (issue 12): to another key they answer
 * exactly as a job that does not exist, and they are not in its list. A request from no key (a server
 * running open) sees every job. The key comes from {@link KeyedTestServer}'s header, as the guard would
 * set it.
 */
@Timeout(120)
class JobOwnershipIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE = "key-alice";
    private static final String BOB = "key-bob";
    /** No key: the server runs open. */
    private static final String OPEN = null;
    private static byte[] wav;

    @BeforeAll
    static void audio() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WavWriter.write(out, 16000, 1, new short[16000]);
        wav = out.toByteArray();
    }

    @Test
    void anotherKeysJobAndTranscriptAreNotFoundAndNotListed() throws Exception {
        try (KeyedTestServer server = KeyedTestServer.start(Map.of("WORKER_CONCURRENCY", "1"),
                FakeEngine.builder("fake").build())) {
            String older = submit(server, ALICE, "json");
            Thread.sleep(5); // distinct creation times for the newest-first order
            String alices = submit(server, ALICE, "txt");
            String bobs = submit(server, BOB, null);
            String opens = submit(server, OPEN, null);
            JsonNode done = awaitFinal(server, alices, ALICE);
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
            assertThat(server.get("/api/jobs/" + alices + "/transcript.txt", ALICE).statusCode()).isEqualTo(200);
            assertThat(server.get("/api/jobs/" + alices + "/transcript.srt", ALICE).statusCode())
                    .as("Alice learns her job was not asked for srt").isEqualTo(404);

            // To Bob, Alice's job answers as one that never existed: not even "not requested" or "not ready".
            String nobody = UUID.randomUUID().toString();
            for (String file : List.of("", "/transcript.txt", "/transcript.srt", "/transcript.json", "/audio")) {
                assertAnswersAsNoSuchJob(server.get("/api/jobs/" + alices + file, BOB), alices,
                        server.get("/api/jobs/" + nobody + file, BOB), nobody);
            }
            assertAnswersAsNoSuchJob(server.get("/api/jobs/" + older + "/transcript.json", BOB), older,
                    server.get("/api/jobs/" + nobody + "/transcript.json", BOB), nobody);
            assertAnswersAsNoSuchJob(server.delete("/api/jobs/" + alices, BOB), alices,
                    server.delete("/api/jobs/" + nobody, BOB), nobody);
            assertAnswersAsNoSuchJob(server.delete("/api/jobs/" + alices + "?purge=true", BOB), alices,
                    server.delete("/api/jobs/" + nobody + "?purge=true", BOB), nobody);
            assertThat(server.get("/api/jobs/" + alices + "/transcript.txt", ALICE).statusCode())
                    .as("Bob's DELETEs left Alice's job and transcript alone").isEqualTo(200);
            assertThat(server.get("/api/jobs/" + alices + "/audio", ALICE).statusCode()).isEqualTo(200);
            // A job made while the server ran open belongs to no key.
            assertAnswersAsNoSuchJob(server.get("/api/jobs/" + opens, ALICE), opens,
                    server.get("/api/jobs/" + nobody, ALICE), nobody);

            assertThat(listed(server, BOB, "")).containsExactly(bobs);
            assertThat(listed(server, ALICE, "")).containsExactly(alices, older);
            JsonNode secondPage = JSON.readTree(server.get("/api/jobs?page=2&size=1", ALICE).body());
            assertThat(secondPage.path("total").asInt()).isEqualTo(2);
            assertThat(secondPage.path("jobs")).extracting(j -> j.path("id").asText()).containsExactly(older);
            assertThat(listed(server, "key-carol", "")).isEmpty();

            // Open: every job, whoever submitted it.
            assertThat(listed(server, OPEN, "")).containsExactlyInAnyOrder(alices, older, bobs, opens);
            assertThat(server.get("/api/jobs/" + alices, OPEN).statusCode()).isEqualTo(200);
            assertThat(server.get("/api/jobs/" + alices + "/transcript.txt", OPEN).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anotherKeyCannotCancelAQueuedJob() throws Exception {
        try (KeyedTestServer server = KeyedTestServer.start(Map.of("WORKER_CONCURRENCY", "0"),
                FakeEngine.builder("fake").build())) {
            String alices = submit(server, ALICE, null);
            String nobody = UUID.randomUUID().toString();
            assertAnswersAsNoSuchJob(server.delete("/api/jobs/" + alices, BOB), alices,
                    server.delete("/api/jobs/" + nobody, BOB), nobody);
            assertAnswersAsNoSuchJob(server.get("/api/jobs/" + alices + "/transcript.txt", BOB), alices,
                    server.get("/api/jobs/" + nobody + "/transcript.txt", BOB), nobody);
            assertThat(JSON.readTree(server.get("/api/jobs/" + alices, ALICE).body()).path("status").asText())
                    .isEqualTo("queued");

            HttpResponse<String> cancelled = server.delete("/api/jobs/" + alices, ALICE);
            assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
            assertThat(JSON.readTree(cancelled.body()).path("status").asText()).isEqualTo("cancelled");
        }
    }

    /** Same status, same headers that matter, same body but for the id: nothing tells the two apart. */
    private static void assertAnswersAsNoSuchJob(HttpResponse<String> other, String otherId,
            HttpResponse<String> missing, String missingId) throws Exception {
        assertThat(other.statusCode()).as(other.body()).isEqualTo(404);
        assertThat(missing.statusCode()).as(missing.body()).isEqualTo(404);
        assertThat(other.headers().firstValue("content-type")).isEqualTo(missing.headers().firstValue("content-type"));
        assertThat(other.body().replace(otherId, "ID")).isEqualTo(missing.body().replace(missingId, "ID"));
        assertThat(JSON.readTree(other.body()).path("error").path("code").asText()).isEqualTo("not_found");
    }

    private static String submit(KeyedTestServer server, String keyId, String formats) throws Exception {
        Multipart form = new Multipart();
        if (formats != null) form.field("formats", formats);
        HttpResponse<String> created = server.post("/api/jobs", keyId, form.file("file", "a.wav", wav));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).path("id").asText();
    }

    private static List<String> listed(KeyedTestServer server, String keyId, String query) throws Exception {
        JsonNode list = JSON.readTree(server.get("/api/jobs" + query, keyId).body());
        List<String> ids = new ArrayList<>();
        list.path("jobs").forEach(j -> ids.add(j.path("id").asText()));
        assertThat(list.path("total").asInt()).as("total counts the caller's jobs only").isEqualTo(ids.size());
        return ids;
    }

    private static JsonNode awaitFinal(KeyedTestServer server, String id, String keyId) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            JsonNode j = JSON.readTree(server.get("/api/jobs/" + id, keyId).body());
            if (Set.of("succeeded", "failed", "cancelled").contains(j.path("status").asText())) return j;
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " did not finish: " + server.get("/api/jobs/" + id, keyId).body());
    }
}
