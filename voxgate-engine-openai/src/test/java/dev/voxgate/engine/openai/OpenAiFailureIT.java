package dev.voxgate.engine.openai;

import dev.voxgate.audio.PcmAudio;
import dev.voxgate.engine.remote.EdgeRuns;
import dev.voxgate.server.ServerComponents;
import dev.voxgate.server.Speech;
import dev.voxgate.server.TestServer;
import dev.voxgate.server.WsClient;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.guard.ApiKeyFile;
import dev.voxgate.testkit.SpeechCorpus;
import dev.voxgate.testkit.TcpProxy;
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

import static dev.voxgate.engine.remote.EdgeRuns.await;
import static dev.voxgate.engine.remote.EdgeRuns.clearError;
import static dev.voxgate.engine.remote.EdgeRuns.refused;
import static dev.voxgate.engine.remote.EdgeRuns.status;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The openai engine when its remote misbehaves: an edge Voxgate posting to a real second Voxgate's
 * {@code /v1/audio/transcriptions} through a {@link TcpProxy}, with {@code ENGINE_FALLBACK=whisper} (the edge's own
 * Whisper, the recognizer's model, so the words of a run that fell back can be held to an uninterrupted run's).
 */
@Timeout(300)
class OpenAiFailureIT {
    private static final Map<String, String> EDGE = Map.of("MAX_SESSIONS", "16", "TRANSCRIBE_TIMEOUT_MS", "60000",
            "ENGINE_FALLBACK", "whisper");
    private static final Map<String, String> FAST = Map.of("OPENAI_CONNECT_TIMEOUT_MS", "1000",
            "OPENAI_REPLY_TIMEOUT_MS", "5000", "OPENAI_PROBE_INTERVAL_MS", "100");

    private static TcpProxy proxy;
    private static OpenAiEngine engine;
    private static TestServer edge;
    private static PcmAudio speech;
    private static String uninterrupted;

    @BeforeAll
    static void start() throws Exception {
        proxy = TcpProxy.start(Recognizer.server().server().port());
        engine = Recognizer.openai("http://127.0.0.1:" + proxy.port() + "/v1", FAST);
        edge = TestServer.start(EDGE, EngineRegistry.of("openai", List.of(engine, Recognizer.whisper())),
                ServerComponents.Jobs.WITHOUT_JOBS);
        speech = SpeechCorpus.joined(Speech.corpus().first(2), 1.5);
        WsClient.Result r = stream(edge);
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

    private static WsClient.Result stream(TestServer server) {
        return EdgeRuns.stream(server, speech, Duration.ofSeconds(60));
    }

    private static void sameWordsAsUninterrupted(WsClient.Result r) {
        EdgeRuns.sameWordsAs(uninterrupted, r, "openai failure");
    }

    private static String openaiStatus(TestServer server) {
        return status(server, "openai");
    }

    @Test
    void aRemoteThatDiesIsShownDownSessionsFallBackAndItIsUsedAgainWhenItComesBack() throws Exception {
        proxy.goDown();
        try {
            await(() -> openaiStatus(edge).equals("down"), "/api/modules_info shows openai down");
            assertThat(edge.get("/ready").statusCode()).isEqualTo(200);
            WsClient.Result r = stream(edge);
            assertThat(r.ofType("notice")).hasSize(1).first()
                    .satisfies(n -> assertThat(n.path("engine").asText()).isEqualTo("whisper"));
            sameWordsAsUninterrupted(r);
        } finally {
            proxy.comeBack();
        }
        await(() -> openaiStatus(edge).equals("ready"), "/api/modules_info shows openai ready again");
        WsClient.Result again = stream(edge);
        assertThat(again.ofType("notice")).isEmpty();
        sameWordsAsUninterrupted(again);
    }

    /** Each test starts with a healthy relay and the remote shown up (a stalled probe may have marked it down). */
    @BeforeEach
    void healthy() throws InterruptedException {
        proxy.heal();
        await(() -> openaiStatus(edge).equals("ready"), "the remote shown up");
    }

    @Test
    void aConnectionCutWhileAnUtteranceIsPostedContinuesOnTheNextEngine() {
        proxy.cutAfterClientBytes(20_000); // inside the first utterance's upload
        WsClient.Result r = stream(edge);
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
            System.out.printf("[openai failure] stalled remote: session over in %d ms%n",
                    (System.nanoTime() - t0) / 1_000_000);
            assertThat(r.ofType("notice")).as("messages %s", r.messages()).hasSize(1);
            sameWordsAsUninterrupted(r);
        } finally {
            proxy.heal();
            proxy.cutAll();
        }
    }

    @Test
    void malformedRepliesEndInAFallback() throws Exception {
        Javalin broken = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = 0;
            cfg.routes.get("/v1/models", ctx -> ctx.json(Map.of("object", "list", "data", List.of())));
            cfg.routes.post("/v1/audio/transcriptions", ctx -> ctx.contentType("application/json").result("[1,2"));
        }).start();
        try (OpenAiEngine bad = Recognizer.openai("http://127.0.0.1:" + broken.port() + "/v1", FAST);
             TestServer server = TestServer.start(EDGE, EngineRegistry.of("openai", List.of(bad,
                     Recognizer.whisper())), ServerComponents.Jobs.WITHOUT_JOBS)) {
            WsClient.Result r = stream(server);
            assertThat(r.ofType("notice")).as("messages %s", r.messages()).hasSize(1);
            sameWordsAsUninterrupted(r);
        } finally {
            broken.stop();
        }
    }

    @Test
    void aRefusedKeyShowsTheRemoteDownFallsBackAndWithoutAFallbackIsAClearError(@TempDir Path tmp)
            throws Exception {
        Path keys = tmp.resolve("keys");
        ApiKeyFile.NewKey key = ApiKeyFile.create("edge", Set.of(), new SecureRandom(), Instant.now());
        ApiKeyFile.write(keys, List.of(key.entry()));
        try (TestServer keyed = TestServer.streaming(Map.of("API_KEYS_FILE", keys.toString()), Recognizer.whisper())) {
            Map<String, String> wrongKey = new HashMap<>(FAST);
            wrongKey.put("OPENAI_API_KEY", "vg_not-the-key");
            String base = keyed.http("/v1").toString();
            try (OpenAiEngine refused = Recognizer.openai(base, wrongKey);
                 TestServer withFallback = TestServer.start(EDGE, EngineRegistry.of("openai", List.of(refused,
                         Recognizer.whisper())), ServerComponents.Jobs.WITHOUT_JOBS);
                 TestServer without = TestServer.streaming(Map.of(), refused)) {
                assertThat(refused.unavailableReason()).get().asString().contains("refused the key");
                WsClient.Result r = stream(withFallback);
                assertThat(r.ofType("notice")).as("messages %s", r.messages()).hasSize(1);
                sameWordsAsUninterrupted(r);
                clearError(refused(without), "openai");
            }
            Map<String, String> rightKey = new HashMap<>(FAST);
            rightKey.put("OPENAI_API_KEY", key.key());
            try (OpenAiEngine accepted = Recognizer.openai(base, rightKey);
                 TestServer server = TestServer.streaming(Map.of(), accepted)) {
                WsClient.Result r = stream(server);
                assertThat(r.ofType("notice")).isEmpty();
                sameWordsAsUninterrupted(r);
            }
        }
    }
}
