package dev.voxgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.SpeechEngine;
import dev.voxgate.api.SpeechEngineProvider;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.guard.GuardKeys;
import dev.voxgate.testkit.FakeEngine;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
            assertThat(s.metric("voxgate_audio_received_seconds_total")).isCloseTo(2.0, Offset.offset(1e-9));
            assertThat(s.metric("voxgate_sessions_total{engine=\"fake\",outcome=\"completed\"}")).isEqualTo(1.0);
            assertThat(s.metric("voxgate_errors_total{code=\"invalid_parameter\"}")).isEqualTo(1.0);
            assertThat(s.metric("voxgate_finalization_latency_seconds_count")).isEqualTo(1.0);
            assertThat(s.metric("voxgate_session_realtime_factor_count")).isEqualTo(1.0);
            assertThat(response.body()).contains("voxgate_decode_duration_seconds_bucket", "jvm_memory_used_bytes",
                    "# HELP voxgate_sessions_active");
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
