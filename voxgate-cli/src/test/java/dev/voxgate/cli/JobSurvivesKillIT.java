package dev.voxgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.WavWriter;
import dev.voxgate.server.Multipart;
import dev.voxgate.server.Speech;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of the server while a job runs: after a restart on the same DATA_DIR, JobRunr
 * finds the dead server's job and runs it again, and it succeeds; nothing stays {@code running}.
 */
@Timeout(600)
class JobSurvivesKillIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jobRunningWhenTheServerIsKilledRunsAgainAfterRestart(@TempDir Path dir) throws Exception {
        List<Utterance> utterances = new ArrayList<>();
        List<short[]> parts = new ArrayList<>();
        double seconds = 0;
        for (Utterance u : Speech.corpus().utterances()) {
            if (seconds > 150) break;
            PcmAudio a = Speech.audio(u).resampledTo(16000);
            utterances.add(u);
            parts.add(a.samples());
            parts.add(new short[8000]);
            seconds += a.seconds() + 0.5;
        }
        short[] all = new short[parts.stream().mapToInt(p -> p.length).sum()];
        int pos = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, all, pos, p.length);
            pos += p.length;
        }
        Path wav = dir.resolve("long.wav");
        WavWriter.write(wav, new PcmAudio(16000, all));
        Map<String, String> env = Map.of("DATA_DIR", dir.resolve("data").toString(), "WORKER_CONCURRENCY", "1",
                "JOB_POLL_SECONDS", "5");

        String id;
        try (VoxgateProcess first = VoxgateProcess.serve(env)) {
            var created = first.send(new Multipart().file("file", "long.wav", Files.readAllBytes(wav))
                    .post(first.http("/api/jobs")));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            id = JSON.readTree(created.body()).path("id").asText();
            JsonNode running = await(first, id,
                    j -> j.path("status").asText().equals("running") && j.path("progress").asInt() >= 5);
            System.out.printf("[jobs] killing the server at %d%% of a %.0f s job%n", running.path("progress").asInt(),
                    seconds);
            first.kill();
        }
        try (VoxgateProcess second = VoxgateProcess.serve(env)) {
            JsonNode done = await(second, id, j -> j.path("status").asText().matches("succeeded|failed|cancelled"));
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
            assertThat(done.path("attempts").asInt()).as("ran again after the kill").isGreaterThanOrEqualTo(2);
            String text = second.get("/api/jobs/" + id + "/transcript.txt").body();
            String reference = utterances.stream().map(Utterance::reference).collect(Collectors.joining(" "));
            double wer = WordErrorRate.edits(reference, text) / (double) WordErrorRate.normalize(reference).size();
            System.out.printf("[jobs] after the restart: %s, WER %.2f%%%n", done.path("status").asText(), 100 * wer);
            assertThat(wer).isLessThan(0.2);
            JsonNode list = JSON.readTree(second.get("/api/jobs").body());
            list.path("jobs").forEach(j -> assertThat(j.path("status").asText()).isNotEqualTo("running"));
        }
    }

    private static JsonNode await(VoxgateProcess server, String id, Predicate<JsonNode> done) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(240));
        while (Instant.now().isBefore(deadline)) {
            JsonNode j = JSON.readTree(server.get("/api/jobs/" + id).body());
            if (done.test(j)) return j;
            Thread.sleep(200);
        }
        throw new AssertionError("job " + id + ": " + server.get("/api/jobs/" + id).body() + "\n" + server.log());
    }
}
