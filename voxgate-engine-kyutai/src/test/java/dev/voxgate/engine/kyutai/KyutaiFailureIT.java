package dev.voxgate.engine.kyutai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.api.EngineContext;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.engine.remote.EdgeRuns;
import dev.voxgate.engine.vosk.VoskEngineProvider;
import dev.voxgate.server.ServerComponents;
import dev.voxgate.server.Speech;
import dev.voxgate.server.TestEngines;
import dev.voxgate.server.TestServer;
import dev.voxgate.server.WsClient;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.testkit.SpeechCorpus;
import dev.voxgate.testkit.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The kyutai engine when moshi-server misbehaves (the fake's misbehaving paths, a closed port, a wrong key, a full
 * batch). Every case ends in a fallback to the edge's own Vosk ({@code ENGINE_FALLBACK=vosk}), whose finals hold the
 * same words as an uninterrupted run (nothing accepted is lost), or without a fallback in a clear
 * {@code engine_unavailable}; never in a hung session. Timeouts are short, so each case takes a second or two.
 */
@Timeout(120)
class KyutaiFailureIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> EDGE = Map.of("MAX_SESSIONS", "16", "TRANSCRIBE_TIMEOUT_MS", "30000",
            "ENGINE_FALLBACK", "vosk");
    private static final Map<String, String> FAST = Map.of("KYUTAI_CONNECT_TIMEOUT_MS", "1000",
            "KYUTAI_REPLY_TIMEOUT_MS", "5000", "KYUTAI_PROBE_INTERVAL_MS", "100");

    /** Two recordings with a pause between them: two utterances, about ten seconds. */
    private static PcmAudio speech;
    private static String uninterrupted;

    @BeforeAll
    static void start() throws Exception {
        speech = SpeechCorpus.joined(Speech.corpus().first(2), 1.5);
        try (KyutaiEngine healthy = Recognizer.kyutai(Recognizer.moshi().url(""), FAST);
             TestServer edge = edge(healthy)) {
            WsClient.Result r = stream(edge);
            assertThat(r.ofType("notice")).as("a healthy moshi-server: no fallback").isEmpty();
            uninterrupted = r.finalText();
        }
        assertThat(uninterrupted.split(" ")).hasSizeGreaterThan(8);
    }

    @AfterAll
    static void stop() {
        // the fake moshi-server is the JVM's, shared with the other test classes
    }

    private static TestServer edge(KyutaiEngine engine) {
        return TestServer.start(EDGE, EngineRegistry.of("kyutai", List.of(engine, TestEngines.vosk())),
                ServerComponents.Jobs.WITHOUT_JOBS);
    }

    private static Map<String, String> fast(String... more) {
        Map<String, String> s = new HashMap<>(FAST);
        for (int i = 0; i < more.length; i += 2) s.put(more[i], more[i + 1]);
        return s;
    }

    private static WsClient.Result stream(TestServer server) {
        return EdgeRuns.stream(server, speech, Duration.ofSeconds(30));
    }

    /** A run that fell back once and lost nothing: the uninterrupted run's words. */
    private static void fellBackWithNothingLost(WsClient.Result r, String what) {
        EdgeRuns.fellBackOnceWithSameWords("vosk", uninterrupted, r, "kyutai failure: " + what);
    }

    /** Without a fallback: the catalogue's error naming the engine (moshi-server's own words stay in the log). */
    private static void clearError(TestServer server) {
        EdgeRuns.clearError(EdgeRuns.refused(server), "kyutai");
    }

    @Test
    void aRefusedConnectionFallsBackAndWithoutAFallbackIsAClearError() throws Exception {
        try (TcpProxy closed = TcpProxy.start(1)) {
            closed.goDown();
            try (KyutaiEngine down = Recognizer.kyutai("ws://127.0.0.1:" + closed.port() + "/api/asr-streaming",
                    FAST); TestServer withFallback = edge(down); TestServer without = TestServer.streaming(Map.of(),
                    down)) {
                fellBackWithNothingLost(stream(withFallback), "connection refused");
                assertThat(without.get("/ready").statusCode()).isEqualTo(503);
                clearError(without);
            }
        }
    }

    @Test
    void aCloseMidUtteranceContinuesOnTheNextEngineWithTheAudioSinceTheLastFinal() throws Exception {
        try (KyutaiEngine cut = Recognizer.kyutai(Recognizer.moshi().url("/cut"), FAST); TestServer edge = edge(cut)) {
            fellBackWithNothingLost(stream(edge), "connection dropped three seconds in");
        }
    }

    @Test
    void aServerThatStopsAnsweringIsGivenUpAfterTheReplyTimeout() throws Exception {
        try (KyutaiEngine stalled = Recognizer.kyutai(Recognizer.moshi().url("/stall"), FAST);
             TestServer edge = edge(stalled)) {
            long t0 = System.nanoTime();
            WsClient.Result r = stream(edge);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("[kyutai failure] stalled moshi-server: session over in %d ms%n", ms);
            fellBackWithNothingLost(r, "no answers after three seconds");
            assertThat(ms).as("given up after KYUTAI_REPLY_TIMEOUT_MS, not hung").isLessThan(15_000);
        }
    }

    @Test
    void malformedMsgpackEndsInAFallback() throws Exception {
        try (KyutaiEngine bad = Recognizer.kyutai(Recognizer.moshi().url("/malformed"), FAST);
             TestServer edge = edge(bad)) {
            fellBackWithNothingLost(stream(edge), "a frame that is not msgpack");
        }
    }

    @Test
    void aRefusedKeyIsMoshisHttp401AndFallsBackOrIsAClearError() throws Exception {
        URI asr = URI.create(Recognizer.moshi().url(""));
        try (HttpClient http = HttpClient.newHttpClient()) {
            // moshi-server's own answer: 401 before the upgrade, with the header or ?auth_id= missing or wrong
            assertThatThrownBy(() -> http.newWebSocketBuilder().header("kyutai-api-key", "wrong")
                    .buildAsync(asr, new WebSocket.Listener() { }).join())
                    .isInstanceOf(CompletionException.class).cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                            .isEqualTo(401));
            http.newWebSocketBuilder().buildAsync(URI.create(asr + "?auth_id=" + FakeMoshiServer.KEY),
                    new WebSocket.Listener() { }).join().abort();
        }
        try (KyutaiEngine wrong = Recognizer.kyutai(asr.toString(), fast("KYUTAI_API_KEY", "not-the-key"));
             TestServer withFallback = edge(wrong); TestServer without = TestServer.streaming(Map.of(), wrong)) {
            fellBackWithNothingLost(stream(withFallback), "key refused");
            clearError(without);
        }
        try (KyutaiEngine none = Recognizer.kyutai(asr.toString(), fast("KYUTAI_API_KEY", ""));
             TestServer without = TestServer.streaming(Map.of(), none)) {
            clearError(without);
        }
    }

    @Test
    void aFullBatchIsOverCapacityFallsBackAndFreesUpWhenTheSlotDoes() throws Exception {
        try (KyutaiEngine small = Recognizer.kyutai(Recognizer.moshi().url("/small"), FAST);
             TestServer withFallback = edge(small); TestServer without = TestServer.streaming(Map.of(), small)) {
            RecognitionSession holder = small.open(new SessionOptions(16000, "en"), new RecognitionListener() { });
            try {
                fellBackWithNothingLost(stream(withFallback), "no free channels");
                clearError(without);
                assertThat(small.isReady()).as("a full server is up, only full").isTrue();
            } finally {
                holder.close();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            WsClient.Result r;
            do {
                r = stream(withFallback); // the fake frees the slot when it sees the close
            } while (!r.ofType("notice").isEmpty() && System.nanoTime() < deadline);
            assertThat(r.ofType("notice")).as("the freed slot serves").isEmpty();
        }
    }

    /**
     * As {@code voxgate serve} starts: providers found by the registry, {@code ENGINE=kyutai} with moshi-server down,
     * {@code ENGINE_FALLBACK=vosk}. The server starts, says ready (served by Vosk), shows kyutai down, and serves.
     */
    @Test
    void theServerStartsAndServesWithMoshiServerDown() throws Exception {
        try (TcpProxy closed = TcpProxy.start(1)) {
            closed.goDown();
            Map<String, String> settings = new HashMap<>(EDGE);
            settings.putAll(FAST);
            settings.put("ENGINE", "kyutai");
            settings.put("KYUTAI_URL", "ws://127.0.0.1:" + closed.port());
            EngineRegistry registry = EngineRegistry.loading("kyutai",
                    List.of(new KyutaiEngineProvider(), new VoskEngineProvider()),
                    new EngineContext(settings, TestEngines.cacheDir()));
            try (TestServer server = TestServer.start(settings, registry, ServerComponents.Jobs.WITHOUT_JOBS)) {
                assertThat(registry.awaitLoaded(2, TimeUnit.MINUTES)).isTrue();
                assertThat(server.get("/ready").statusCode()).isEqualTo(200);
                HttpResponse<String> modules = server.get("/api/modules_info");
                JsonNode k = null;
                for (JsonNode e : JSON.readTree(modules.body()).path("engines")) {
                    if (e.path("id").asText().equals("kyutai")) k = e;
                }
                assertThat(k).isNotNull();
                assertThat(k.path("status").asText()).isEqualTo("down");
                assertThat(k.path("error").asText()).contains("did not answer");
                assertThat(modules.body()).doesNotContain(FakeMoshiServer.KEY);
                WsClient.Result r = stream(server);
                assertThat(r.messages().get(0).path("type").asText()).isEqualTo("ready");
                fellBackWithNothingLost(r, "moshi-server down at start-up");
            }
        }
    }
}
