package dev.voxgate.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.ffmpeg.Encoding;
import dev.voxgate.audio.transcribe.OfflineTranscriber;
import dev.voxgate.server.Multipart;
import dev.voxgate.server.Speech;
import dev.voxgate.server.TestEngines;
import dev.voxgate.server.TestServer;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The job API against a real server, the real engine, real SQLite and JobRunr, on real speech encoded in the test. */
@Timeout(600)
class BatchJobsIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Utterance utterance;
    private static byte[] mp3;
    private static double inProcessWer;
    /**
     * One utterance: a word of run-to-run engine variation is allowed (the 2-point format test runs on 179 words in
     * OpenAiCompatibilityIT).
     */
    private static double ONE_WORD;
    /**
     * The brief is three hours (346 MB of WAV), but Vosk goes through silence at about 0.035 × real
     * time on the 2-core CI machine: 3 h would take over 6 minutes. 25 minutes (48 MB) is the longest
     * that finishes in under about a minute there. {@code -Dvoxgate.test.silenceMinutes=180} runs the
     * three hours.
     */
    private static final int SILENCE_MINUTES = 25;

    @BeforeAll
    static void speech() throws Exception {
        utterance = Speech.corpus().first(1).get(0);
        PcmAudio audio = Speech.audio(utterance);
        mp3 = Files.readAllBytes(Encoding.MP3.encode(dir.resolve("speech.mp3"), audio.sampleRate(), audio.samples()));
        ONE_WORD = 1.01 / WordErrorRate.normalize(utterance.reference()).size();
        inProcessWer = wer(new OfflineTranscriber(TestEngines.vosk()).transcribe(audio, null).text());
    }

    @Test
    void uploadIsTranscribedIntoEveryFormat() throws Exception {
        try (TestServer server = TestServer.start(Map.of("DATA_DIR", dir.resolve("a").toString()),
                TestEngines.vosk())) {
            HttpResponse<String> created = post(server, new Multipart().file("file", "../../réunion 会议.mp3", mp3));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode job = JSON.readTree(created.body());
            assertThat(job.path("status").asText()).isIn("queued", "running");
            assertThat(job.path("fileName").asText()).isEqualTo("réunion 会议.mp3");
            assertThat(job.path("format").asText()).isEqualTo("mp3");
            assertThat(created.headers().firstValue("location")).hasValue("/api/jobs/" + job.path("id").asText());

            JsonNode done = awaitFinal(server, job.path("id").asText());
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
            assertThat(done.path("progress").asInt()).isEqualTo(100);
            assertThat(done.path("audioSeconds").asDouble()).isCloseTo(utterance.seconds(), Offset.offset(0.2));

            String base = "/api/jobs/" + job.path("id").asText() + "/transcript.";
            String txt = server.get(base + "txt").body();
            assertThat(wer(txt)).as(txt).isLessThanOrEqualTo(inProcessWer + ONE_WORD);
            JsonNode json = JSON.readTree(server.get(base + "json").body());
            assertThat(json.path("segments").size()).isPositive();
            assertThat(json.path("segments").get(0).path("words").size()).isPositive();
            assertThat(server.get(base + "srt").body()).startsWith("1\n").contains(" --> ");
            assertThat(server.get(base + "vtt").body()).startsWith("WEBVTT");
            assertThat(server.get(base + "xml").statusCode()).isEqualTo(404);

            JsonNode list = JSON.readTree(server.get("/api/jobs?page=1&size=10").body());
            assertThat(list.path("total").asInt()).isEqualTo(1);
            assertThat(list.path("jobs").get(0).path("id").asText()).isEqualTo(job.path("id").asText());

            HttpResponse<String> cancelDone = delete(server, job.path("id").asText());
            assertThat(cancelDone.statusCode()).isEqualTo(409);
        }
    }

    @Test
    void queuedJobsSurviveARestartAndCancellingIsIdempotent() throws Exception {
        Path data = dir.resolve("b");
        String kept, cancelled;
        try (TestServer noWorkers = TestServer.start(Map.of("DATA_DIR", data.toString(), "WORKER_CONCURRENCY", "0"),
                TestEngines.vosk())) {
            kept = JSON.readTree(post(noWorkers, new Multipart().file("file", "one.mp3", mp3)).body()).path("id")
                    .asText();
            Thread.sleep(5); // distinct creation times for the newest-first order
            cancelled = JSON.readTree(post(noWorkers, new Multipart().file("file", "two.mp3", mp3)).body()).path("id")
                    .asText();
            JsonNode list = JSON.readTree(noWorkers.get("/api/jobs").body());
            assertThat(list.path("jobs").get(0).path("id").asText()).as("newest first").isEqualTo(cancelled);
            assertThat(noWorkers.metric("voxgate_jobs{status=\"queued\"}")).as("the queue, as the database holds it")
                    .isEqualTo(2.0);
            assertThat(noWorkers.metric("voxgate_jobs{status=\"running\"}")).isZero();
            assertThat(JSON.readTree(noWorkers.get("/api/jobs/" + kept).body()).path("status").asText())
                    .isEqualTo("queued");
            assertThat(noWorkers.get("/api/jobs/" + kept + "/transcript.txt").statusCode()).isEqualTo(409);

            HttpResponse<String> first = delete(noWorkers, cancelled);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(first.body()).path("status").asText()).isEqualTo("cancelled");
            HttpResponse<String> second = delete(noWorkers, cancelled);
            assertThat(second.statusCode()).isEqualTo(409);
            assertThat(second.body()).contains("already cancelled");
            try (var files = Files.walk(data.resolve("blobs"))) {
                assertThat(files.filter(p -> p.toString().contains(cancelled)))
                        .as("a cancelled job's files are deleted").isEmpty();
            }
        }
        try (TestServer restarted = TestServer.start(Map.of("DATA_DIR", data.toString(), "WORKER_CONCURRENCY", "1"),
                TestEngines.vosk())) {
            JsonNode done = awaitFinal(restarted, kept);
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
            assertThat(wer(restarted.get("/api/jobs/" + kept + "/transcript.txt").body()))
                    .isLessThanOrEqualTo(inProcessWer + ONE_WORD);
            assertThat(JSON.readTree(restarted.get("/api/jobs/" + cancelled).body()).path("status").asText())
                    .isEqualTo("cancelled");
        }
    }

    /**
     * What the browser's Files view needs besides the job API: the limits to check before uploading, the
     * kept upload to play beside the transcript, and deleting a finished job (cancel stays as it was).
     */
    @Test
    void limitsKeptAudioAndPurgeOfFinishedJobs() throws Exception {
        Map<String, String> settings = Map.of("DATA_DIR", dir.resolve("e").toString(), "MAX_FILE_SIZE_MB", "3",
                "ALLOWED_AUDIO_FORMATS", "wav,mp3,flac", "UPLOAD_RETENTION_DAYS", "2", "WORKER_CONCURRENCY", "1");
        try (TestServer server = TestServer.start(settings, TestEngines.vosk())) {
            JsonNode limits = JSON.readTree(server.get("/api/upload_limits").body());
            assertThat(limits.path("maxFileSizeMb").asInt()).isEqualTo(3);
            assertThat(limits.path("maxFileSizeBytes").asLong()).isEqualTo(3L * 1024 * 1024);
            assertThat(limits.path("allowedFormats").toString()).as("in the default list's order")
                    .isEqualTo("[\"mp3\",\"wav\",\"flac\"]");
            assertThat(limits.path("maxAudioMinutes").asInt()).isEqualTo(240);
            assertThat(limits.path("defaultEngine").asText()).isEqualTo("vosk");
            assertThat(limits.path("uploadRetentionDays").asInt()).isEqualTo(2);
            assertThat(limits.path("transcriptRetentionDays").asInt()).isEqualTo(30);

            String id = JSON.readTree(post(server, new Multipart().file("file", "talk.wav", mp3)).body()).path("id")
                    .asText();
            JsonNode done = awaitFinal(server, id);
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
            HttpResponse<byte[]> audio = HTTP.send(HttpRequest.newBuilder(server.http("/api/jobs/" + id + "/audio"))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(audio.statusCode()).isEqualTo(200);
            assertThat(audio.headers().firstValue("content-type")).as("by content, not by name")
                    .hasValueSatisfying(v -> assertThat(v).startsWith("audio/mpeg"));
            assertThat(audio.body()).as("the upload as received").isEqualTo(mp3);
            assertError(server.get("/api/jobs/" + UUID.randomUUID() + "/audio"), 404, "no job");

            assertError(send(server, "DELETE", "/api/jobs/" + id + "?purge=maybe"), 400, "purge must be true or false");
            HttpResponse<String> purged = send(server, "DELETE", "/api/jobs/" + id + "?purge=true");
            assertThat(purged.statusCode()).as(purged.body()).isEqualTo(204);
            assertError(server.get("/api/jobs/" + id), 404, "no job");
            assertError(server.get("/api/jobs/" + id + "/audio"), 404, "no job");
            assertError(send(server, "DELETE", "/api/jobs/" + id + "?purge=true"), 404, "no job");
            try (var files = Files.walk(dir.resolve("e").resolve("blobs"))) {
                assertThat(files.filter(p -> p.toString().contains(id))).as("its files are deleted").isEmpty();
            }
        }
        try (TestServer noWorkers = TestServer.start(Map.of("DATA_DIR", dir.resolve("f").toString(),
                "WORKER_CONCURRENCY", "0"), TestEngines.vosk())) {
            String queued = JSON.readTree(post(noWorkers, new Multipart().file("file", "q.mp3", mp3)).body())
                    .path("id").asText();
            assertThat(noWorkers.get("/api/jobs/" + queued + "/audio").statusCode())
                    .as("a queued job's upload can be played").isEqualTo(200);
            assertError(send(noWorkers, "DELETE", "/api/jobs/" + queued + "?purge=true"), 409, "cancel it first");
            assertThat(delete(noWorkers, queued).statusCode()).isEqualTo(200);
            assertError(noWorkers.get("/api/jobs/" + queued + "/audio"), 410, "cancelled");
            assertThat(send(noWorkers, "DELETE", "/api/jobs/" + queued + "?purge=true").statusCode())
                    .as("a cancelled job can be deleted").isEqualTo(204);
            assertThat(JSON.readTree(noWorkers.get("/api/jobs").body()).path("total").asInt()).isZero();
        }
    }

    @Test
    void badInputGetsClearAnswersAndBrokenFilesFailWithoutRetrying() throws Exception {
        try (TestServer server = TestServer.start(Map.of("DATA_DIR", dir.resolve("c").toString(), "MAX_FILE_SIZE_MB",
                "1"), TestEngines.vosk())) {
            assertError(post(server, new Multipart().file("file", "empty.mp3", new byte[0])), 400, "empty");
            assertError(post(server, new Multipart().file("audio", "a.mp3", mp3)), 400, "'file'");
            assertError(post(server, new Multipart().file("file", "notes.mp3", "just text\n".repeat(100).getBytes())),
                    400, "not an audio file");
            assertError(post(server, new Multipart().file("file", "big.wav", new byte[2 * 1024 * 1024])), 413,
                    "MAX_FILE_SIZE_MB");
            assertError(post(server, new Multipart().field("engine", "nope").file("file", "a.mp3", mp3)), 400, "nope");
            assertError(post(server, new Multipart().field("formats", "txt,doc").file("file", "a.mp3", mp3)), 400,
                    "doc");
            assertError(server.get("/api/jobs/" + UUID.randomUUID()), 404, "no job");
            assertError(server.get("/api/jobs/../../etc/passwd"), 404, "");
            assertError(server.get("/api/jobs/not-a-uuid"), 404, "no job");
            assertError(server.get("/api/jobs?size=0"), 400, "size");

            byte[] cut = Arrays.copyOf(mp3, mp3.length / 3);
            HttpResponse<String> truncated = post(server, new Multipart().file("file", "cut.mp3", cut));
            assertThat(truncated.statusCode()).as(truncated.body()).isEqualTo(201);
            JsonNode failed = awaitFinal(server, JSON.readTree(truncated.body()).path("id").asText());
            assertThat(failed.path("status").asText()).as(failed.toString()).isEqualTo("failed");
            assertThat(failed.path("error").path("code").asText()).isEqualTo("truncated_file");
            assertThat(failed.path("attempts").asInt()).as("no retry for a broken file").isEqualTo(1);
            assertThat(server.get("/health").statusCode()).isEqualTo(200);
        }
    }

    /**
     * A long silent recording: the upload streams to disk, FFmpeg and the engine go through it with
     * bounded memory, and the job succeeds with an empty transcript and the whole duration. The length
     * is {@code voxgate.test.silenceMinutes} (default {@value #SILENCE_MINUTES}; see there why not 180).
     */
    @Test
    void longSilentRecordingCompletesWithAnEmptyTranscript() throws Exception {
        int minutes = Integer.getInteger("voxgate.test.silenceMinutes", SILENCE_MINUTES);
        Path wav = dir.resolve("silence.wav");
        long bytes = writeSilentWav(wav, 16000, minutes * 60L);
        Map<String, String> settings = Map.of("DATA_DIR", dir.resolve("d").toString(), "WORKER_CONCURRENCY", "1",
                "MAX_FILE_SIZE_MB", Long.toString(bytes / (1024 * 1024) + 10));
        try (TestServer server = TestServer.start(settings, TestEngines.vosk())) {
            long t0 = System.nanoTime();
            HttpResponse<String> created = HTTP.send(fileUpload(server.http("/api/jobs"), "silence.wav", wav),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode job = JSON.readTree(created.body());
            assertThat(job.path("sizeBytes").asLong()).isEqualTo(bytes);
            assertThat(job.path("audioSeconds").asDouble()).as("the header's duration")
                    .isCloseTo(minutes * 60.0, Offset.offset(0.5));
            long uploaded = System.nanoTime();

            JsonNode done = awaitFinal(server, job.path("id").asText(), Duration.ofMinutes(10));
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
            assertThat(done.path("audioSeconds").asDouble()).isCloseTo(minutes * 60.0, Offset.offset(0.5));
            String base = "/api/jobs/" + job.path("id").asText() + "/transcript.";
            assertThat(server.get(base + "txt").body()).isBlank();
            JsonNode json = JSON.readTree(server.get(base + "json").body());
            assertThat(json.path("text").asText()).isBlank();
            assertThat(json.path("segments").size()).isZero();
            assertThat(json.path("duration").asDouble()).isCloseTo(minutes * 60.0, Offset.offset(0.5));
            assertThat(server.get(base + "vtt").body().strip()).isEqualTo("WEBVTT");
            System.out.printf("[jobs] %d min of silence (%d MB): upload %.1f s, job %.1f s%n", minutes, bytes >> 20,
                    (uploaded - t0) / 1e9, (System.nanoTime() - uploaded) / 1e9);
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    /** A 16-bit mono PCM WAV of zeros, written in pieces: nothing near its size is held in memory. */
    static long writeSilentWav(Path file, int rate, long seconds) throws IOException {
        long dataBytes = rate * seconds * 2;
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (36 + dataBytes))
                .put("WAVE".getBytes(StandardCharsets.US_ASCII));
        h.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16);
        h.put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) dataBytes);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(h.array());
            byte[] zeros = new byte[1 << 20];
            for (long left = dataBytes; left > 0; left -= zeros.length) out.write(zeros, 0,
                    (int) Math.min(zeros.length, left));
        }
        return Files.size(file);
    }

    /** A multipart upload whose file part is streamed from disk. */
    private static HttpRequest fileUpload(URI uri, String fileName, Path file) throws IOException {
        String boundary = "voxgate-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build();
    }

    private static void assertError(HttpResponse<String> r, int status, String words) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(JSON.readTree(r.body()).path("error").path("message").asText()).contains(words);
    }

    private static JsonNode awaitFinal(TestServer server, String id) throws Exception {
        return awaitFinal(server, id, Duration.ofSeconds(120));
    }

    private static JsonNode awaitFinal(TestServer server, String id, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            JsonNode j = JSON.readTree(server.get("/api/jobs/" + id).body());
            if (Set.of("succeeded", "failed", "cancelled").contains(j.path("status").asText())) return j;
            Thread.sleep(200);
        }
        throw new AssertionError("job " + id + " did not finish: " + server.get("/api/jobs/" + id).body());
    }

    private static HttpResponse<String> post(TestServer server, Multipart form) throws Exception {
        return HTTP.send(form.post(server.http("/api/jobs")), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(TestServer server, String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.http(path)).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> delete(TestServer server, String id) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.http("/api/jobs/" + id)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static double wer(String hypothesis) {
        return WordErrorRate.edits(utterance.reference(),
                hypothesis) / (double) WordErrorRate.normalize(utterance.reference()).size();
    }
}
