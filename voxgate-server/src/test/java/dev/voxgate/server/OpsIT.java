package dev.voxgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.SpeechEngine;
import dev.voxgate.api.SpeechEngineProvider;
import dev.voxgate.audio.WavWriter;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.guard.GuardKeys;
import dev.voxgate.testkit.FakeEngine;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class OpsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A provider whose loading waits for the test, to see /ready before and after. */
    private static final class GatedProvider implements SpeechEngineProvider {
        final CountDownLatch gate = new CountDownLatch(1);

        @Override
        public String id() {
            return "fake";
        }

        @Override
        public EngineCapabilities capabilities() {
            return new EngineCapabilities(true, true, true, List.of(16000), 16000, List.of("en"));
        }

        @Override
        public SpeechEngine create(EngineContext context) {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeEngine.builder("fake").build();
        }
    }

    private static final class BrokenProvider implements SpeechEngineProvider {
        @Override
        public String id() {
            return "broken";
        }

        @Override
        public EngineCapabilities capabilities() {
            return new EngineCapabilities(true, false, false, List.of(16000), 16000, List.of("en"));
        }

        @Override
        public SpeechEngine create(EngineContext context) throws EngineUnavailableException {
            throw new EngineUnavailableException("model file /models/x.bin is missing: set BROKEN_MODEL");
        }
    }

    @Test
    void readyIs503UntilTheDefaultEngineHasLoaded() throws Exception {
        GatedProvider gated = new GatedProvider();
        EngineRegistry registry = EngineRegistry.loading("fake", List.of(gated, new BrokenProvider()),
                new EngineContext(Map.of(), Path.of("target")));
        try (TestServer s = TestServer.start(Map.of(), registry)) {
            assertThat(s.get("/health").statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(s.get("/health").body()).path("status").asText()).isEqualTo("ok");
            var notReady = s.get("/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(notReady.body()).path("engines").path("fake").asText()).isEqualTo("loading");
            try (WsClient c = WsClient.connect(s.ws("/v1/listen"))) {
                WsClient.Result r = c.awaitClose();
                assertThat(r.error().path("code").asText()).isEqualTo("engine_unavailable");
                assertThat(r.close().code()).isEqualTo(1013);
            }
            gated.gate.countDown();
            registry.awaitLoaded(10, TimeUnit.SECONDS);
            var ready = s.get("/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(ready.body()).path("dependencies").path("jobDatabase").asText()).isEqualTo("up");

            JsonNode modules = JSON.readTree(s.get("/api/modules_info").body());
            assertThat(modules.path("defaultEngine").asText()).isEqualTo("fake");
            JsonNode broken = modules.path("engines").get(1);
            assertThat(broken.path("status").asText()).isEqualTo("failed");
            // The provider's text names a path on the server: it goes to the log, not to clients.
            assertThat(broken.path("error").asText()).contains("failed to load").contains("log")
                    .doesNotContain("/models/x.bin").doesNotContain("BROKEN_MODEL");
            try (WsClient c = WsClient.connect(s.ws("/v1/listen?engine=broken"))) {
                assertThat(c.awaitClose().error().path("message").asText()).contains("failed to load")
                        .doesNotContain("/models/x.bin").doesNotContain("Exception");
            }
        }
    }

    @Test
    void modulesInfoDescribesTheLoadedModelAndCapabilities() throws Exception {
        try (TestServer s = TestServer.start(Map.of(), TestEngines.vosk())) {
            JsonNode vosk = JSON.readTree(s.get("/api/modules_info").body()).path("engines").get(0);
            assertThat(vosk.path("id").asText()).isEqualTo("vosk");
            assertThat(vosk.path("status").asText()).isEqualTo("ready");
            assertThat(vosk.path("capabilities").path("partials").asBoolean()).isTrue();
            assertThat(vosk.path("capabilities").path("wordTimings").asBoolean()).isTrue();
            assertThat(vosk.path("capabilities").path("sampleRates").get(0).asInt()).isEqualTo(16000);
            assertThat(vosk.path("model").path("uuid").asText()).matches("[0-9a-f-]{36}");
        }
    }

    @Test
    void buildInfoNamesVersionCommitAndJava() throws Exception {
        try (TestServer s = TestServer.start(Map.of(), FakeEngine.builder("fake").build())) {
            JsonNode info = JSON.readTree(s.get("/api/build_info").body());
            assertThat(info.path("version").asText()).isNotBlank().isNotEqualTo("unknown");
            assertThat(info.path("buildTime").asText()).isNotBlank();
            assertThat(info.has("commit")).isTrue();
            assertThat(info.has("java")).as("the JVM only for a caller with a key").isFalse();
        }
        GuardKeys keys = GuardKeys.create("ops");
        try (TestServer s = TestServer.start(Map.of("API_KEYS_FILE", keys.file().toString()),
                FakeEngine.builder("fake").build())) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(s.http("/api/build_info"))
                    .header("X-API-Key", keys.key("ops")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(r.body()).path("java").path("version").asText())
                    .startsWith(String.valueOf(Runtime.version().feature()));
        }
    }

    @Test
    void metricsCountSessionsAudioLatencyAndErrors() {
        try (TestServer s = TestServer.start(Map.of(), FakeEngine.builder("fake").build())) {
            try (WsClient c = WsClient.connect(s.ws("/v1/listen"))) {
                assertThat(c.stream(new byte[64000], 3200).close().code()).isEqualTo(1000);
            }
            try (WsClient c = WsClient.connect(s.ws("/v1/listen?sample_rate=abc"))) {
                c.awaitClose();
            }
            var response = s.get("/metrics");
            assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
            assertThat(s.metric("voxgate_sessions_active")).isZero();
            assertThat(s.metric("voxgate_audio_received_seconds_total{engine=\"fake\",source=\"stream\"}"))
                    .isCloseTo(2.0, Offset.offset(1e-9));
            assertThat(s.metric("voxgate_sessions_total{engine=\"fake\",outcome=\"completed\"}")).isEqualTo(1.0);
            assertThat(s.metric("voxgate_errors_total{code=\"invalid_parameter\"}")).isEqualTo(1.0);
            assertThat(s.metric("voxgate_finalization_latency_seconds_count{engine=\"fake\"}")).isEqualTo(1.0);
            assertThat(s.metric("voxgate_session_realtime_factor_count{engine=\"fake\"}")).isEqualTo(1.0);
            assertThat(s.metric("voxgate_decode_duration_seconds_count{engine=\"fake\"}")).isPositive();
            assertThat(response.body()).contains("jvm_memory_used_bytes", "# HELP voxgate_sessions_active");
            assertThat(s.metric("process_resident_memory_bytes")).as("the process's RSS").isGreaterThan(50e6);
            assertThat(s.metric("process_open_fds")).isPositive();
        }
    }

    @Test
    void everyHistogramHasFewBucketsAndHttpRequestsAreCountedByRouteTemplate() throws Exception {
        try (TestServer s = TestServer.start(Map.of(), FakeEngine.builder("fake").build())) {
            try (WsClient c = WsClient.connect(s.ws("/v1/listen"))) {
                assertThat(c.stream(new byte[32000], 3200).close().code()).isEqualTo(1000);
            }
            s.get("/health");
            s.get("/api/jobs/" + "a".repeat(40)); // no job queue in this server: not a route
            s.get("/no/such/" + UUID.randomUUID());
            String body = s.get("/metrics").body();
            Map<String, Integer> buckets = new TreeMap<>();
            for (String line : body.split("\n")) {
                int at = line.indexOf("_bucket{");
                if (at < 0) continue;
                String series = line.substring(0, at) + line.substring(line.indexOf('{', at))
                        .replaceAll("le=\"[^\"]*\",?", "").replaceAll(" .*", "");
                buckets.merge(series, 1, Integer::sum);
            }
            assertThat(buckets).as("histograms published").isNotEmpty();
            assertThat(buckets).allSatisfy((series, n) -> assertThat(n).as(series).isLessThanOrEqualTo(16));
            assertThat(s.metric("voxgate_http_server_requests_seconds_count{method=\"GET\",route=\"/health\","
                    + "status=\"200\"}")).isEqualTo(1.0);
            assertThat(body).as("the path a client sent never becomes a label").doesNotContain("/no/such/")
                    .contains("route=\"unmatched\",status=\"404\"");
        }
    }

    @Test
    void fileTranscriptionsAreCountedWithTheirAudio(@TempDir Path dir) throws Exception {
        try (TestServer s = TestServer.start(Map.of("DATA_DIR", dir.toString()), FakeEngine.builder("fake").build())) {
            ByteArrayOutputStream wav = new ByteArrayOutputStream();
            WavWriter.write(wav, 16000, 1, new short[3 * 16000]);
            HttpResponse<String> ok = HTTP.send(new Multipart().field("model", "whisper-1")
                    .file("file", "a.wav", wav.toByteArray()).post(s.http("/v1/audio/transcriptions")),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            HttpResponse<String> bad = HTTP.send(new Multipart().field("model", "whisper-1")
                    .file("file", "a.wav", "not audio at all".getBytes(StandardCharsets.UTF_8))
                    .post(s.http("/v1/audio/transcriptions")), HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(s.metric("voxgate_audio_received_seconds_total{engine=\"fake\",source=\"request\"}"))
                    .isCloseTo(3.0, Offset.offset(0.05));
            assertThat(s.metric("voxgate_file_transcription_seconds_count{engine=\"fake\",outcome=\"completed\","
                    + "source=\"request\"}")).isEqualTo(1.0);
            String failed = JSON.readTree(bad.body()).path("error").path("code").asText();
            assertThat(s.metric("voxgate_file_transcription_seconds_count{engine=\"fake\",outcome=\"" + failed
                    + "\",source=\"request\"}")).as("refused as %s", failed).isEqualTo(1.0);
        }
    }

    @Test
    void unknownRoutesAnswerJson404() throws Exception {
        try (TestServer s = TestServer.start(Map.of(), FakeEngine.builder("fake").build())) {
            var r = s.get("/no/such/thing");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("not_found");
        }
    }
}
