package dev.voxgate.server.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.WavReader;
import dev.voxgate.audio.WavWriter;
import dev.voxgate.jobs.support.S3ProxyServer;
import dev.voxgate.server.Multipart;
import dev.voxgate.server.TestEngines;
import dev.voxgate.server.TestServer;
import dev.voxgate.server.WsClient;
import dev.voxgate.server.guard.GuardKeys;
import dev.voxgate.testkit.FakeEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session archive through a real server: the WAV is byte for byte the PCM the engine received, the sidecar has
 * the finals, a vanished client still leaves a valid WAV, the API serves an archive only to its key; with S3 (s3proxy
 * in this JVM) archives land in the bucket, wait in the spool while S3 is down and are uploaded when it is back; a
 * full spool refuses new sessions (close 1013) and uploads (507); a recording an earlier run left is completed at
 * start.
 */
@Timeout(180)
// One after another: tests stop and start the shared S3 server.
@Execution(ExecutionMode.SAME_THREAD)
class SessionArchiveIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static S3ProxyServer s3;

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyServer.start(dir.resolve("s3"), "voxgate-archive");
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) s3.close();
    }

    private static FakeEngine engine() {
        return FakeEngine.builder("fake").finalEverySeconds(1.0).build();
    }

    private static Map<String, String> settings(String... more) throws IOException {
        Map<String, String> m = new HashMap<>(Map.of("ARCHIVE_AUDIO", "true",
                "DATA_DIR", Files.createTempDirectory(dir, "data").toString()));
        for (int i = 0; i < more.length; i += 2) m.put(more[i], more[i + 1]);
        return m;
    }

    /** Speech-like noise, the same for a seed. */
    private static byte[] pcm(double seconds, int rate, long seed) {
        Random r = new Random(seed);
        int n = (int) (seconds * rate);
        ByteBuffer b = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) b.putShort((short) (r.nextGaussian() * 3000));
        return b.array();
    }

    private static HttpResponse<byte[]> get(TestServer s, String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.http(path)).GET();
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Waits for the archive of a session that has just ended: it is written and stored off the session's threads. */
    private static HttpResponse<byte[]> awaitArchive(TestServer s, String id, String file, String bearer)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            HttpResponse<byte[]> r = get(s, "/api/sessions/" + id + "/" + file, bearer);
            if (r.statusCode() == 200 || System.nanoTime() > deadline) return r;
            Thread.sleep(25);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    private static String stream(TestServer s, String query, byte[] pcm, int frame, Map<String, String> headers) {
        try (WsClient c = WsClient.connect(s.ws("/v1/listen" + query), headers)) {
            String id = c.awaitType("ready").path("sessionId").asText();
            WsClient.Result r = c.stream(pcm, frame);
            assertThat(r.close().code()).as(r.messages().toString()).isEqualTo(1000);
            return id;
        }
    }

    private static byte[] wav(int rate, byte[] pcm) {
        byte[] h = WavWriter.header(rate, 1, pcm.length);
        byte[] out = new byte[h.length + pcm.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(pcm, 0, out, h.length, pcm.length);
        return out;
    }

    private static List<Path> files(Path root, String suffix) throws IOException {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> w = Files.walk(root)) {
            return w.filter(p -> p.toString().endsWith(suffix)).toList();
        }
    }

    @Test
    void archivesTheAudioTheEngineReceivedByteForByteWithItsFinals() throws Exception {
        Map<String, String> settings = settings();
        byte[] pcm = pcm(3.2, 16000, 1);
        try (TestServer s = TestServer.streaming(settings, engine())) {
            String id = stream(s, "?sample_rate=16000", pcm, 3333, Map.of()); // odd frames: bytes carried over

            HttpResponse<byte[]> audio = awaitArchive(s, id, "audio.wav", null);
            assertThat(audio.statusCode()).isEqualTo(200);
            assertThat(audio.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains(
                    "audio/wav"));
            assertThat(audio.body()).isEqualTo(wav(16000, pcm));

            JsonNode side = JSON.readTree(awaitArchive(s, id, "transcript.json", null).body());
            assertThat(side.path("sessionId").asText()).isEqualTo(id);
            assertThat(side.path("engine").asText()).isEqualTo("fake");
            assertThat(side.path("sampleRate").asInt()).isEqualTo(16000);
            assertThat(side.path("resampled").asBoolean()).isFalse();
            assertThat(side.path("outcome").asText()).isEqualTo("completed");
            assertThat(side.path("audioBytes").asLong()).isEqualTo(pcm.length);
            assertThat(side.has("keyId")).as("no key id on a server without keys").isFalse();
            assertThat(side.path("finals").size()).as("a final per second of audio").isGreaterThanOrEqualTo(3);
            assertThat(side.path("finals").get(0).path("text").asText()).isNotBlank();
            assertThat(side.path("finals").get(0).path("end").asDouble()).isPositive();
            assertThat(side.path("startedAt").asText()).isNotBlank();
            assertThat(side.path("endedAt").asText()).isNotBlank();

            // sessions/YYYY/MM/DD/HHMMSS-<id>.wav with its .json beside it, under DATA_DIR's store
            List<Path> wavs = files(Path.of(settings.get("DATA_DIR"), "blobs", "sessions"), id + ".wav");
            assertThat(wavs).hasSize(1);
            assertThat(wavs.get(0).toString().replace('\\', '/'))
                    .matches(".*/sessions/\\d{4}/\\d{2}/\\d{2}/\\d{6}-" + id + "\\.wav");
            assertThat(wavs.get(0).resolveSibling(wavs.get(0).getFileName().toString().replace(".wav", ".json")))
                    .exists();
            assertThat(s.metric("voxgate_archive_sessions_total")).isEqualTo(1.0);
        }
    }

    @Test
    void aResampledSessionIsArchivedAtTheEnginesRateAndTheSidecarSaysSo() throws Exception {
        byte[] pcm = pcm(2.0, 8000, 2);
        try (TestServer s = TestServer.streaming(settings(), engine())) {
            String id = stream(s, "?sample_rate=8000", pcm, 1600, Map.of());
            PcmAudio wav = WavReader.read(new ByteArrayInputStream(awaitArchive(s, id, "audio.wav", null).body()),
                    "archive");
            assertThat(wav.sampleRate()).isEqualTo(16000);
            assertThat(wav.samples().length).isBetween(2 * 16000 - 64, 2 * 16000 + 64);
            JsonNode side = JSON.readTree(awaitArchive(s, id, "transcript.json", null).body());
            assertThat(side.path("clientSampleRate").asInt()).isEqualTo(8000);
            assertThat(side.path("sampleRate").asInt()).isEqualTo(16000);
            assertThat(side.path("resampled").asBoolean()).isTrue();
        }
    }

    @Test
    void aClientThatVanishesMidUtteranceStillLeavesAValidWav() throws Exception {
        byte[] pcm = pcm(1.5, 16000, 3);
        try (TestServer s = TestServer.streaming(settings(), engine())) {
            WsClient c = WsClient.connect(s.ws("/v1/listen"));
            String id = c.awaitType("ready").path("sessionId").asText();
            c.sendBinary(pcm);
            c.awaitType("partial"); // the engine has had some of it
            c.abort();

            HttpResponse<byte[]> audio = awaitArchive(s, id, "audio.wav", null);
            assertThat(audio.statusCode()).isEqualTo(200);
            byte[] body = audio.body();
            ByteBuffer h = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(h.getInt(4)).as("RIFF size").isEqualTo(body.length - 8);
            assertThat(h.getInt(40)).as("data size").isEqualTo(body.length - 44);
            assertThat(body.length - 44).isPositive().isLessThanOrEqualTo(pcm.length);
            PcmAudio wav = WavReader.read(new ByteArrayInputStream(body), "archive");
            assertThat(wav.sampleRate()).isEqualTo(16000);
            JsonNode side = JSON.readTree(awaitArchive(s, id, "transcript.json", null).body());
            assertThat(side.path("outcome").asText()).isEqualTo("client_closed");
        }
    }

    @Test
    void anArchiveIsServedOnlyToTheKeyThatMadeIt() throws Exception {
        GuardKeys keys = GuardKeys.create("alice", "bob");
        try (TestServer s = TestServer.streaming(settings("API_KEYS_FILE", keys.file().toString()), engine())) {
            String id = stream(s, "", pcm(1.0, 16000, 4), 3200,
                    Map.of("Authorization", "Bearer " + keys.key("alice")));
            assertThat(awaitArchive(s, id, "audio.wav", keys.key("alice")).statusCode()).isEqualTo(200);
            JsonNode side = JSON.readTree(get(s, "/api/sessions/" + id + "/transcript.json", keys.key("alice"))
                    .body());
            assertThat(side.path("keyId").asText()).isEqualTo(keys.id("alice"));

            HttpResponse<byte[]> other = get(s, "/api/sessions/" + id + "/audio.wav", keys.key("bob"));
            assertThat(other.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(other.body()).path("error").path("code").asText()).isEqualTo("not_found");
            assertThat(get(s, "/api/sessions/" + id + "/audio.wav", null).statusCode()).isEqualTo(401);
            assertThat(get(s, "/api/sessions/" + UUID.randomUUID() + "/audio.wav", keys.key("alice")).statusCode())
                    .isEqualTo(404);
            for (String bad : List.of("..%2F..%2Fetc%2Fpasswd", "..", "a.b", "%2e%2e")) {
                HttpResponse<byte[]> r = get(s, "/api/sessions/" + bad + "/transcript.json", keys.key("alice"));
                assertThat(r.statusCode()).as(bad).isIn(400, 404);
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).as(bad).doesNotContain("sessionId");
            }
        }
    }

    @Test
    void withS3ArchivesWaitInTheSpoolWhileS3IsDownAndAreUploadedWhenItIsBack() throws Exception {
        Map<String, String> settings = settings();
        settings.putAll(s3.environment("node-a"));
        byte[] first = pcm(1.0, 16000, 5);
        byte[] second = pcm(1.0, 16000, 6);
        try (TestServer s = TestServer.streaming(settings, engine())) {
            String a = stream(s, "", first, 3200, Map.of());
            assertThat(awaitArchive(s, a, "audio.wav", null).body()).isEqualTo(wav(16000, first));
            assertThat(s.get("/ready").body()).contains("\"backend\":\"s3\"").contains("\"state\":\"up\"");

            s3.stop();
            String b;
            try {
                b = stream(s, "", second, 3200, Map.of());
                HttpResponse<byte[]> spooled = awaitArchive(s, b, "audio.wav", null);
                assertThat(spooled.statusCode()).as("served from the spool while S3 is down").isEqualTo(200);
                assertThat(spooled.body()).isEqualTo(wav(16000, second));
                assertThat(s.metric("voxgate_storage_spool_files")).isGreaterThanOrEqualTo(2.0);
                assertThat(s.metric("voxgate_storage_upload_failures_total")).isPositive();
                assertThat(s.get("/ready").body()).contains("\"state\":\"down\"");
                assertThat(s.get("/ready").statusCode()).as("S3 down with room in the spool: still ready")
                        .isEqualTo(200);
            } finally {
                s3.start();
            }
            await("the spool to drain", () -> s.metric("voxgate_storage_spool_files") == 0.0);
            assertThat(files(Path.of(settings.get("DATA_DIR"), "spool", "pending"), ".wav")).isEmpty();
            for (String id : List.of(a, b)) {
                JsonNode index = JSON.readTree(awaitArchive(s, id, "transcript.json", null).body());
                assertThat(index.path("sessionId").asText()).isEqualTo(id);
            }
            assertThat(s.get("/ready").body()).contains("\"state\":\"up\"");
        }
        // Everything is in the bucket, under the prefix.
        assertThat(s3.keys("node-a/sessions/")).as("objects in the bucket, under S3_PREFIX")
                .filteredOn(k -> k.endsWith(".wav")).hasSize(2)
                .allMatch(k -> k.matches("node-a/sessions/\\d{4}/\\d{2}/\\d{2}/\\d{6}-.*\\.wav"));
    }

    @Test
    void aFullSpoolRefusesNewArchivingSessionsWithAClearError() throws Exception {
        Map<String, String> settings = settings("SPOOL_MAX_MB", "1");
        settings.putAll(s3.environment("node-full"));
        Path waiting = Path.of(settings.get("DATA_DIR"), "spool", "pending", "uploads", "2026", "01", "01",
                UUID.randomUUID().toString(), "audio");
        Files.createDirectories(waiting.getParent());
        Files.write(waiting, new byte[2 * 1024 * 1024]);
        s3.stop();
        try (TestServer s = TestServer.streaming(settings, engine())) {
            try (WsClient c = WsClient.connect(s.ws("/v1/listen"))) {
                WsClient.Result r = c.awaitClose();
                assertThat(r.error().path("code").asText()).isEqualTo("storage_full");
                assertThat(r.error().path("message").asText()).contains("SPOOL_MAX_MB");
                assertThat(r.close().code()).isEqualTo(1013);
            }
            HttpResponse<String> ready = s.get("/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("spool_full");
        } finally {
            s3.start();
        }
    }

    @Test
    void aFullSpoolAnswersUploadsWith507AndKeepsNothing() throws Exception {
        Map<String, String> settings = settings("SPOOL_MAX_MB", "1", "ARCHIVE_AUDIO", "false");
        settings.putAll(s3.environment("node-upload"));
        Path waiting = Path.of(settings.get("DATA_DIR"), "spool", "pending", "uploads", "2026", "01", "01",
                UUID.randomUUID().toString(), "audio");
        Files.createDirectories(waiting.getParent());
        Files.write(waiting, new byte[2 * 1024 * 1024]);
        s3.stop();
        try (TestServer s = TestServer.start(settings, TestEngines.vosk())) {
            HttpResponse<String> r = HTTP.send(new Multipart().file("file", "speech.wav", wav(16000,
                    pcm(1.0, 16000, 8))).post(s.http("/api/jobs")), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(507);
            assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("storage_full");
            assertThat(r.body()).contains("SPOOL_MAX_MB");
            assertThat(JSON.readTree(s.get("/api/jobs").body()).path("total").asInt()).as("no job recorded")
                    .isZero();
        } finally {
            s3.start();
        }
    }

    @Test
    void aRecordingLeftByAStoppedServerIsCompletedAndStoredAtTheNextStart() throws Exception {
        Map<String, String> settings = settings();
        String id = UUID.randomUUID().toString();
        Path recording = Files.createDirectories(Path.of(settings.get("DATA_DIR"), "spool", "recording"));
        byte[] pcm = pcm(0.5, 16000, 7);
        Files.write(recording.resolve(id + ".wav"), wav(16000, new byte[0])); // header never completed
        Files.write(recording.resolve(id + ".wav"), pcm, StandardOpenOption.APPEND);
        Files.writeString(recording.resolve(id + ".meta.json"), "{\"sessionId\":\"" + id
                + "\",\"engine\":\"fake\",\"startedAt\":\"2026-12-04T10:11:12Z\",\"sampleRate\":16000,"
                + "\"clientSampleRate\":16000,\"resampled\":false}");
        try (TestServer s = TestServer.streaming(settings, engine())) {
            assertThat(awaitArchive(s, id, "audio.wav", null).body()).isEqualTo(wav(16000, pcm));
            JsonNode side = JSON.readTree(awaitArchive(s, id, "transcript.json", null).body());
            assertThat(side.path("outcome").asText()).isEqualTo("interrupted");
            assertThat(Path.of(settings.get("DATA_DIR"), "blobs", "sessions", "2026", "12", "04",
                    "101112-" + id + ".wav")).exists();
        }
    }
}
