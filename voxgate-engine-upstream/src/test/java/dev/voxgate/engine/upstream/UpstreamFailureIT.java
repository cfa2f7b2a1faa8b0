package dev.voxgate.engine.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.api.EngineContext;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.engine.remote.EdgeRuns;
import dev.voxgate.engine.vosk.VoskEngineProvider;
import dev.voxgate.server.ServerComponents;
import dev.voxgate.server.Speech;
import dev.voxgate.server.TestEngines;
import dev.voxgate.server.TestServer;
import dev.voxgate.server.WsClient;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.guard.ApiKeyFile;
import dev.voxgate.testkit.SpeechCorpus;
import dev.voxgate.testkit.TcpProxy;
import dev.voxgate.testkit.Utterance;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.voxgate.engine.remote.EdgeRuns.await;
import static dev.voxgate.engine.remote.EdgeRuns.clearError;
import static dev.voxgate.engine.remote.EdgeRuns.refused;
import static dev.voxgate.engine.remote.EdgeRuns.status;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream engine when its remote misbehaves, between an edge Voxgate and a real second Voxgate (Vosk), with a
 * {@link TcpProxy} between them to make the remote refuse, die, come back, cut a stream or stall. Every case ends in
 * a fallback to the edge's own Vosk ({@code ENGINE_FALLBACK=vosk}) or in a clear error, never in a hung session; with
 * a fallback, the finals hold the same words as an uninterrupted run (nothing accepted is lost).
 */
@Timeout(300)
class UpstreamFailureIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> EDGE = Map.of("MAX_SESSIONS", "16", "TRANSCRIBE_TIMEOUT_MS", "60000",
            "ENGINE_FALLBACK", "vosk");
    /** Short remote timeouts, so a stalled remote is given up in seconds. */
    private static final Map<String, String> FAST = Map.of("UPSTREAM_CONNECT_TIMEOUT_MS", "1000",
            "UPSTREAM_REPLY_TIMEOUT_MS", "5000", "UPSTREAM_PROBE_INTERVAL_MS", "100");

    private static TcpProxy proxy;
    private static UpstreamEngine engine;
    private static TestServer edge;
    /** Two recordings with a pause between them: two utterances, about ten seconds. */
    private static PcmAudio speech;
    private static String uninterrupted;

    @BeforeAll
    static void start() throws Exception {
        TestServer remote = Recognizer.server();
        proxy = TcpProxy.start(remote.server().port());
        engine = Recognizer.upstream("ws://127.0.0.1:" + proxy.port() + "/v1/listen", FAST);
        edge = TestServer.start(EDGE, EngineRegistry.of("upstream", List.of(engine, TestEngines.vosk())),
                ServerComponents.Jobs.WITHOUT_JOBS);
        List<Utterance> two = Speech.corpus().first(2);
        speech = SpeechCorpus.joined(two, 1.5);
        WsClient.Result r = stream(edge, speech);
        assertThat(r.ofType("notice")).as("a healthy remote: no fallback").isEmpty();
        uninterrupted = r.finalText();
        assertThat(uninterrupted.split(" ")).hasSizeGreaterThan(8);
    }

    @AfterAll
    static void stop() throws Exception {
        if (edge != null) edge.close();
        if (engine != null) engine.close();
        if (proxy != null) proxy.close();
    }

    private static WsClient.Result stream(TestServer server, PcmAudio audio) {
        return EdgeRuns.stream(server, audio, Duration.ofSeconds(60));
    }

    /** The words of a run that fell back, against the uninterrupted run's. */
    private static void sameWordsAsUninterrupted(WsClient.Result r) {
        EdgeRuns.sameWordsAs(uninterrupted, r, "upstream failure");
    }

    private static JsonNode modules(TestServer server) throws Exception {
        return JSON.readTree(server.get("/api/modules_info").body());
    }

    private static boolean statusIs(String status) {
        return status(edge, "upstream").equals(status);
    }

    @Test
    void aRemoteThatDiesIsShownDownSessionsFallBackAndItIsUsedAgainWhenItComesBack() throws Exception {
        proxy.goDown();
        try {
            await(() -> statusIs("down"), "/api/modules_info shows upstream down");
            assertThat(edge.get("/ready").statusCode()).as("vosk serves the default's sessions").isEqualTo(200);
            assertThat(JSON.readTree(edge.get("/ready").body()).path("engines").path("upstream").asText())
                    .isEqualTo("down");
            WsClient.Result r = stream(edge, speech);
            assertThat(r.ofType("notice")).hasSize(1).first()
                    .satisfies(n -> assertThat(n.path("engine").asText()).isEqualTo("vosk"));
            sameWordsAsUninterrupted(r);
        } finally {
            proxy.comeBack();
        }
        await(() -> statusIs("ready"), "/api/modules_info shows upstream ready again");
        WsClient.Result again = stream(edge, speech);
        assertThat(again.ofType("notice")).as("the remote is used again").isEmpty();
        sameWordsAsUninterrupted(again);
    }

    /** Each test starts with a healthy relay and the remote shown up (a stalled probe may have marked it down). */
    @BeforeEach
    void healthy() throws InterruptedException {
        proxy.heal();
        await(() -> statusIs("ready"), "the remote shown up");
    }

    @Test
    void aCloseMidUtteranceContinuesOnTheNextEngineWithTheAudioSinceTheLastFinal() {
        proxy.cutAfterClientBytes(16000 * 2 * 3); // three seconds into the stream: inside the first utterance
        WsClient.Result r = stream(edge, speech);
        assertThat(r.ofType("notice")).as("messages %s", r.messages()).hasSize(1);
        sameWordsAsUninterrupted(r);
    }

    @Test
    void aRemoteThatStopsAnsweringIsGivenUpAfterTheReplyTimeout() {
        try (WsClient c = WsClient.connect(edge.ws("/v1/listen"))) {
            c.awaitType("ready");
            proxy.stall(true);
            long t0 = System.nanoTime();
            WsClient.Result r = c.stream(speech.toBytes(), 3200, Duration.ofSeconds(60));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("[upstream failure] stalled remote: session over in %d ms%n", ms);
            assertThat(r.ofType("notice")).as("messages %s", r.messages()).hasSize(1);
            sameWordsAsUninterrupted(r);
        } finally {
            proxy.heal();
            proxy.cutAll();
        }
    }

    @Test
    void malformedRepliesEndInAFallback() throws Exception {
        // Not a Voxgate: says ready, then answers audio with a frame that is not the protocol's.
        Javalin broken = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = 0;
            cfg.routes.get("/ready", ctx -> ctx.result("{}"));
            cfg.routes.ws("/v1/listen", ws -> {
                ws.onConnect(ctx -> ctx.send("{\"type\":\"ready\",\"sessionId\":\"x\",\"engine\":\"vosk\"}"));
                ws.onBinaryMessage(ctx -> ctx.send("{\"type\":\"final\",\"text\":17}"));
            });
        }).start();
        try (UpstreamEngine bad = Recognizer.upstream("ws://127.0.0.1:" + broken.port() + "/v1/listen", FAST);
             TestServer server = TestServer.start(EDGE, EngineRegistry.of("upstream", List.of(bad, TestEngines.vosk())),
                     ServerComponents.Jobs.WITHOUT_JOBS)) {
            WsClient.Result r = stream(server, speech);
            assertThat(r.ofType("notice")).as("messages %s", r.messages()).hasSize(1);
            sameWordsAsUninterrupted(r);
        } finally {
            broken.stop();
        }
    }

    @Test
    void aRefusedKeyFallsBackAndWithoutAFallbackIsAClearError(@TempDir Path tmp) throws Exception {
        Path keys = tmp.resolve("keys");
        SecureRandom random = new SecureRandom();
        ApiKeyFile.NewKey key = ApiKeyFile.create("edge", Set.of(), random, Instant.now());
        ApiKeyFile.write(keys, List.of(key.entry()));
        try (TestServer keyed = TestServer.streaming(Map.of("API_KEYS_FILE", keys.toString()), TestEngines.vosk())) {
            Map<String, String> wrongKey = new HashMap<>(FAST);
            wrongKey.put("UPSTREAM_API_KEY", "vg_not-the-key");
            String url = keyed.ws("/v1/listen").toString();
            try (UpstreamEngine refused = Recognizer.upstream(url, wrongKey);
                 TestServer withFallback = TestServer.start(EDGE,
                         EngineRegistry.of("upstream", List.of(refused, TestEngines.vosk())),
                         ServerComponents.Jobs.WITHOUT_JOBS);
                 TestServer without = TestServer.streaming(Map.of(), refused)) {
                WsClient.Result r = stream(withFallback, speech);
                assertThat(r.ofType("notice")).as("messages %s", r.messages()).hasSize(1);
                sameWordsAsUninterrupted(r);

                clearError(refused(without), "upstream");
            }
            Map<String, String> rightKey = new HashMap<>(FAST);
            rightKey.put("UPSTREAM_API_KEY", key.key());
            try (UpstreamEngine accepted = Recognizer.upstream(url, rightKey);
                 TestServer server = TestServer.streaming(Map.of(), accepted)) {
                WsClient.Result r = stream(server, speech);
                assertThat(r.ofType("notice")).isEmpty();
                sameWordsAsUninterrupted(r);
            }
        }
    }

    @Test
    void withoutAFallbackARefusedConnectionIsAClearErrorNotAHang() throws Exception {
        try (TcpProxy closed = TcpProxy.start(1)) {
            closed.goDown();
            try (UpstreamEngine down = Recognizer.upstream("ws://127.0.0.1:" + closed.port() + "/v1/listen", FAST);
                 TestServer server = TestServer.streaming(Map.of(), down)) {
                assertThat(server.get("/ready").statusCode()).isEqualTo(503);
                assertThat(status(server, "upstream")).isEqualTo("down");
                clearError(refused(server), "upstream");
            }
        }
    }

    /**
     * As {@code voxgate serve} starts: providers found by the registry, {@code ENGINE=upstream} with its remote down,
     * {@code ENGINE_FALLBACK=vosk}. The server starts, says ready (served by Vosk), shows the remote down, and serves.
     */
    @Test
    void theServerStartsAndServesWithItsDefaultRemoteDown() throws Exception {
        try (TcpProxy closed = TcpProxy.start(1)) {
            closed.goDown();
            Map<String, String> settings = new HashMap<>(EDGE);
            settings.putAll(FAST);
            settings.put("ENGINE", "upstream");
            settings.put("UPSTREAM_URL", "ws://127.0.0.1:" + closed.port() + "/v1/listen");
            EngineRegistry registry = EngineRegistry.loading("upstream",
                    List.of(new UpstreamEngineProvider(), new VoskEngineProvider()),
                    new EngineContext(settings, TestEngines.cacheDir()));
            try (TestServer server = TestServer.start(settings, registry, ServerComponents.Jobs.WITHOUT_JOBS)) {
                assertThat(registry.awaitLoaded(2, TimeUnit.MINUTES)).isTrue();
                assertThat(server.get("/ready").statusCode()).isEqualTo(200);
                JsonNode up = null;
                for (JsonNode e : modules(server).path("engines")) if (e.path("id").asText().equals("upstream")) up = e;
                assertThat(up).isNotNull();
                assertThat(up.path("status").asText()).isEqualTo("down");
                assertThat(up.path("error").asText()).contains("did not answer");
                WsClient.Result r = stream(server, speech);
                assertThat(r.messages().get(0).path("type").asText()).isEqualTo("ready");
                assertThat(r.ofType("notice")).hasSize(1);
                sameWordsAsUninterrupted(r);
            }
        }
    }
}
