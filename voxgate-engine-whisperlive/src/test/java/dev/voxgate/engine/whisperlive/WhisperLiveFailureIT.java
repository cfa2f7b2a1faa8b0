package dev.voxgate.engine.whisperlive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.engine.remote.EdgeRuns;
import dev.voxgate.server.ServerComponents;
import dev.voxgate.server.Speech;
import dev.voxgate.server.TestEngines;
import dev.voxgate.server.TestServer;
import dev.voxgate.server.WsClient;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.testkit.SpeechCorpus;
import dev.voxgate.testkit.TcpProxy;
import dev.voxgate.testkit.Utterance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.voxgate.engine.remote.EdgeRuns.await;
import static dev.voxgate.engine.remote.EdgeRuns.refused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whisperlive engine when its server misbehaves, between a Voxgate and the fake WhisperLive server (Vosk), with
 * a {@link TcpProxy} between them to make the server refuse, die, come back, cut a stream or stall, and fake servers
 * of their own for a full server ({@code WAIT}), {@code DISCONNECT}, malformed messages and a proxy's refused auth.
 * Every case ends in a fallback to the Voxgate's own Vosk ({@code ENGINE_FALLBACK=vosk}) or in a clear error, never
 * in a hung session; with a fallback, the finals hold the same words as an uninterrupted run (nothing accepted is
 * lost, finals already given stay given).
 */
@Timeout(300)
class WhisperLiveFailureIT {
    private static final Map<String, String> EDGE = Map.of("MAX_SESSIONS", "16", "TRANSCRIBE_TIMEOUT_MS", "60000",
            "ENGINE_FALLBACK", "vosk");
    /** Short timeouts, so a stalled server is given up in seconds (3 s: the fake decodes on a shared 2-core box). */
    private static final Map<String, String> FAST = Map.of("WHISPERLIVE_CONNECT_TIMEOUT_MS", "1000",
            "WHISPERLIVE_REPLY_TIMEOUT_MS", "5000", "WHISPERLIVE_PROBE_INTERVAL_MS", "100");

    private static TcpProxy proxy;
    private static WhisperLiveEngine engine;
    private static TestServer edge;
    /** Two recordings with a pause between them: two utterances, about ten seconds. */
    private static PcmAudio speech;
    private static double firstSeconds;
    private static String uninterrupted;

    @BeforeAll
    static void start() throws Exception {
        proxy = TcpProxy.start(FakeWhisperLive.shared().port());
        engine = Recognizer.whisperlive("ws://127.0.0.1:" + proxy.port(), FAST);
        edge = withFallback(engine);
        List<Utterance> two = Speech.corpus().first(2);
        firstSeconds = Speech.audio(two.get(0)).seconds();
        speech = SpeechCorpus.joined(two, 1.5);
        WsClient.Result r = stream(edge, speech);
        assertThat(r.ofType("notice")).as("a healthy server: no fallback; %s", r.messages()).isEmpty();
        uninterrupted = r.finalText();
        assertThat(uninterrupted.split(" ")).hasSizeGreaterThan(8);
    }

    @AfterAll
    static void stop() throws Exception {
        if (edge != null) edge.close();
        if (engine != null) engine.close();
        if (proxy != null) proxy.close();
    }

    private static TestServer withFallback(WhisperLiveEngine e) {
        return TestServer.start(EDGE, EngineRegistry.of("whisperlive", List.of(e, TestEngines.vosk())),
                ServerComponents.Jobs.WITHOUT_JOBS);
    }

    private static WsClient.Result stream(TestServer server, PcmAudio audio) {
        return EdgeRuns.stream(server, audio, Duration.ofSeconds(60));
    }

    /** The words of a run that fell back once, against the uninterrupted run's. */
    private static void fellBackWithSameWords(WsClient.Result r) {
        EdgeRuns.fellBackOnceWithSameWords("vosk", uninterrupted, r, "whisperlive failure");
    }

    private static void clearError(WsClient.Result e) {
        EdgeRuns.clearError(e, "whisperlive");
    }

    private static String status(TestServer server) {
        return EdgeRuns.status(server, "whisperlive");
    }

    /** Each test starts with a healthy relay and the server shown up (a stalled probe may have marked it down). */
    @BeforeEach
    void healthy() throws InterruptedException {
        proxy.heal();
        await(() -> status(edge).equals("ready"), "the server shown up");
    }

    @Test
    void aRefusedConnectionFallsBackIsShownDownAndTheServerIsUsedAgainWhenItComesBack() throws Exception {
        proxy.goDown();
        try {
            await(() -> status(edge).equals("down"), "/api/modules_info shows whisperlive down");
            fellBackWithSameWords(stream(edge, speech));
            try (TestServer without = TestServer.streaming(Map.of(), engine)) {
                clearError(refused(without));
            }
        } finally {
            proxy.comeBack();
        }
        await(() -> status(edge).equals("ready"), "/api/modules_info shows whisperlive ready again");
        WsClient.Result again = stream(edge, speech);
        assertThat(again.ofType("notice")).as("the server is used again").isEmpty();
    }

    @Test
    void aCloseMidUtteranceContinuesOnTheNextEngineWithTheAudioSinceTheLastFinal() {
        proxy.cutAfterClientBytes(16000 * 4 * 3); // three seconds of float32: inside the first utterance
        fellBackWithSameWords(stream(edge, speech));
    }

    @Test
    void aServerThatStopsAnsweringIsGivenUpAfterTheReplyTimeout() {
        try (WsClient c = WsClient.connect(edge.ws("/v1/listen"))) {
            c.awaitType("ready");
            proxy.stall(true);
            long t0 = System.nanoTime();
            WsClient.Result r = c.stream(speech.toBytes(), 3200, Duration.ofSeconds(60));
            System.out.printf("[whisperlive failure] stalled server: session over in %d ms%n",
                    (System.nanoTime() - t0) / 1_000_000);
            fellBackWithSameWords(r);
        } finally {
            proxy.heal();
            proxy.cutAll();
        }
    }

    @Test
    void malformedMessagesEndInAFallback() throws Exception {
        try (FakeWhisperLive broken = FakeWhisperLive.start(FakeWhisperLive.Faults.none().malformedAfter(2.0));
             WhisperLiveEngine e = Recognizer.whisperlive(broken.url(), FAST);
             TestServer server = withFallback(e)) {
            fellBackWithSameWords(stream(server, speech));
        }
    }

    @Test
    void aDisconnectMidStreamFallsBackAndKeepsTheFinalsAlreadyGiven() throws Exception {
        // Inside the pause after the first recording: its final has been given by then.
        double at = firstSeconds + 1.3;
        try (FakeWhisperLive overtime = FakeWhisperLive.start(FakeWhisperLive.Faults.none().disconnectAfter(at));
             WhisperLiveEngine e = Recognizer.whisperlive(overtime.url(), FAST);
             TestServer server = withFallback(e)) {
            WsClient.Result r = stream(server, speech);
            fellBackWithSameWords(r);
            List<JsonNode> m = r.messages();
            int notice = m.indexOf(r.ofType("notice").getFirst());
            assertThat(m.subList(0, notice)).as("finals from whisperlive before the DISCONNECT; %s", m)
                    .anyMatch(n -> n.path("type").asText().equals("final"));
        }
    }

    @Test
    void aFullServerSaysWaitAndTheSessionFallsBackOrGetsAClearError() throws Exception {
        try (FakeWhisperLive full = FakeWhisperLive.start(FakeWhisperLive.Faults.none().maxClients(1));
             WhisperLiveEngine e = Recognizer.whisperlive(full.url(), FAST);
             RecognitionSession occupying = e.open(new SessionOptions(16000, "en"), new RecognitionListener() { });
             TestServer server = withFallback(e);
             TestServer without = TestServer.streaming(Map.of(), e)) {
            long t0 = System.nanoTime();
            fellBackWithSameWords(stream(server, speech));
            System.out.printf("[whisperlive failure] full server: fell back, session over in %d ms%n",
                    (System.nanoTime() - t0) / 1_000_000);
            clearError(refused(without));
            assertThat(status(server)).as("a full server answers: not shown down").isEqualTo("ready");
            assertThat(occupying).isNotNull();
        }
    }

    @Test
    void anUpgradeRefusedByAProxysAuthFallsBackOrIsAClearErrorAndTheRightUserIsServed() throws Exception {
        String header = "Basic " + Base64.getEncoder().encodeToString("asr:right".getBytes(StandardCharsets.UTF_8));
        try (FakeWhisperLive guarded = FakeWhisperLive.start(FakeWhisperLive.Faults.none().basicAuth(header))) {
            Map<String, String> fast = new HashMap<>(FAST);
            try (WhisperLiveEngine wrong = Recognizer.whisperlive("ws://asr:wrong@127.0.0.1:" + guarded.port(), fast);
                 TestServer server = withFallback(wrong);
                 TestServer without = TestServer.streaming(Map.of(), wrong)) {
                fellBackWithSameWords(stream(server, speech));
                clearError(refused(without));
                await(() -> status(server).equals("down"), "a refused upgrade shows down");
            }
            try (WhisperLiveEngine right = Recognizer.whisperlive("ws://asr:right@127.0.0.1:" + guarded.port(), fast);
                 TestServer server = TestServer.streaming(Map.of(), right)) {
                WsClient.Result r = stream(server, speech);
                assertThat(r.ofType("notice")).isEmpty();
                assertThat(r.error()).as("messages %s", r.messages()).isNull();
                assertThat(r.finalText()).isEqualTo(uninterrupted);
            }
        }
    }
}
