package dev.voxgate.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.audio.WavWriter;
import dev.voxgate.server.Multipart;
import dev.voxgate.server.TestServer;
import dev.voxgate.testkit.FakeEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The job API's replies agree with each other: the reply to a submit and every later read show the same job. */
@Timeout(60)
class JobRepliesIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void createdAtIsTheSameInTheSubmitReplyAndInLaterReads() throws Exception {
        ByteArrayOutputStream wav = new ByteArrayOutputStream();
        WavWriter.write(wav, 16000, 1, new short[16000]);
        try (TestServer server = TestServer.start(Map.of("WORKER_CONCURRENCY", "0"),
                FakeEngine.builder("fake").build())) {
            // An instant with whole milliseconds would hide the difference; five rarely all do.
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> created = HTTP.send(new Multipart().file("file", "a.wav", wav.toByteArray())
                        .post(server.http("/api/jobs")), HttpResponse.BodyHandlers.ofString());
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                JsonNode submitted = JSON.readTree(created.body());
                JsonNode read = JSON.readTree(server.get("/api/jobs/" + submitted.path("id").asText()).body());
                JsonNode listed = JSON.readTree(server.get("/api/jobs").body()).path("jobs").get(0);
                String createdAt = submitted.path("createdAt").asText();
                assertThat(createdAt).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
                assertThat(read.path("createdAt").asText()).isEqualTo(createdAt);
                assertThat(listed.path("createdAt").asText()).isEqualTo(createdAt);
            }
        }
    }
}
