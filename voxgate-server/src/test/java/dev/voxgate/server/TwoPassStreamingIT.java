package dev.voxgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.api.EngineContext;
import dev.voxgate.engine.twopass.TwoPassEngineProvider;
import dev.voxgate.engine.vosk.VoskEngineProvider;
import dev.voxgate.engine.whisper.WhisperEngineProvider;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code engine=vosk+whisper} through a running server over a real WebSocket, with the real
 * engines loaded the way {@code voxgate serve} loads them: three providers in one registry, the
 * two-pass one composed of the other two (one model of each in memory).
 */
@Timeout(900)
class TwoPassStreamingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static List<Utterance> all;
    private static Map<String, String> twoPass;

    @BeforeAll
    static void start() throws Exception {
        all = Speech.corpus().utterances();
        EngineRegistry registry = EngineRegistry.loading("vosk",
                List.of(new VoskEngineProvider(), new WhisperEngineProvider(), new TwoPassEngineProvider()),
                new EngineContext(Map.of(), TestEngines.cacheDir()));
        assertThat(registry.awaitLoaded(5, TimeUnit.MINUTES)).isTrue();
        server = TestServer.start(Map.of("MAX_SESSIONS", "16", "TRANSCRIBE_TIMEOUT_MS", "60000"), registry,
                ServerComponents.Jobs.WITHOUT_JOBS);
        twoPass = Speech.forEach(all, 2, u -> stream(u, "vosk+whisper").finalText());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static WsClient.Result stream(Utterance u, String engine) {
        try (WsClient c = WsClient.connect(server.ws("/v1/listen?sample_rate=16000&engine=" + engine))) {
            WsClient.Result r = c.stream(Speech.audio(u).toBytes(), 3200);
            assertThat(r.close().code()).as("close after end_stream; messages %s", r.messages()).isEqualTo(1000);
            assertThat(r.error()).isNull();
            assertThat(r.messages().get(0).path("engine").asText()).isEqualTo(engine);
            return r;
        }
    }

    @Test
    void devSetIsMoreAccurateThanVoskAlone() {
        Map<String, String> vosk = Speech.forEach(all, 2, u -> stream(u, "vosk").finalText());
        double twoPassWer = WordErrorRate.normalizedCorpus(all, twoPass);
        double voskWer = WordErrorRate.normalizedCorpus(all, vosk);
        System.out.printf(Locale.ROOT,
                "[two-pass] dev set over the WebSocket: normalised WER %.2f%% (vosk alone %.2f%%); "
                + "basic WER %.2f%% (vosk %.2f%%)%n", 100 * twoPassWer, 100 * voskWer,
                100 * WordErrorRate.corpus(all, twoPass), 100 * WordErrorRate.corpus(all, vosk));
        // Any speech: Whisper's finals beat Vosk's on the same audio in the same run.
        assertThat(twoPassWer).isLessThan(voskWer);
        // 5% was tuned on the team's set; other speech need not meet it (the fallback's card names: 5.4%,
        // Vosk alone 7.6%).
        if (Speech.corpus().isTeamSet()) assertThat(twoPassWer).as("the team's evaluation set")
                .isLessThanOrEqualTo(0.05);
    }

    @Test
    void partialsComeFromVoskAndFinalsKeepWhispersWrittenForm() {
        Utterance longest = all.stream().max(Comparator.comparingDouble(Utterance::seconds)).orElseThrow();
        WsClient.Result r = stream(longest, "vosk+whisper");
        assertThat(r.ofType("partial")).isNotEmpty();
        List<JsonNode> finals = r.ofType("final");
        assertThat(finals).isNotEmpty();
        String text = r.finalText();
        assertThat(text).as("Whisper writes with case and punctuation").matches("(?s).*[A-Z].*")
                .matches("(?s).*[.,?!].*");
        for (JsonNode f : finals) {
            assertThat(f.path("end").asDouble()).isGreaterThan(f.path("start").asDouble());
            assertThat(f.path("end").asDouble()).isLessThanOrEqualTo(longest.seconds() + 0.5);
            int words = f.path("words").size();
            if (words > 0) { // timings only where Vosk's words line up with Whisper's
                assertThat(words).isEqualTo(f.path("text").asText().split("\\s+").length);
                double last = -1;
                for (JsonNode w : f.path("words")) {
                    assertThat(w.path("start").asDouble()).isGreaterThanOrEqualTo(last);
                    last = w.path("start").asDouble();
                }
            }
        }
    }

    @Test
    void fourConcurrentSessionsEachGetTheirOwnWords() {
        List<Utterance> four = all.stream().sorted(Comparator.comparingDouble(Utterance::seconds).reversed()).limit(4)
                .toList();
        Map<String, String> together = Speech.forEach(four, 4, u -> stream(u, "vosk+whisper").finalText());
        for (Utterance u : four) {
            double alone = WordErrorRate.normalizedCorpus(List.of(u), Map.of(u.id(), twoPass.get(u.id())));
            double concurrent = WordErrorRate.normalizedCorpus(List.of(u), Map.of(u.id(), together.get(u.id())));
            assertThat(concurrent).as("%s: %s", u.id(), together.get(u.id())).isLessThanOrEqualTo(alone + 0.05);
        }
    }

    @Test
    void silenceGivesNoFinal() {
        try (WsClient c = WsClient.connect(server.ws("/v1/listen?engine=vosk%2Bwhisper"))) {
            WsClient.Result r = c.stream(new byte[2 * 16000 * 5], 3200);
            assertThat(r.close().code()).isEqualTo(1000);
            assertThat(r.ofType("final")).allSatisfy(f -> assertThat(f.path("text").asText()).isEmpty());
        }
    }

    @Test
    void modulesInfoShowsTheCompositionAndWhisperAsTheFileEngine() throws Exception {
        JsonNode info = JSON.readTree(server.get("/api/modules_info").body());
        assertThat(info.path("defaultEngine").asText()).isEqualTo("vosk");
        assertThat(info.path("defaultFileEngine").asText()).isEqualTo("whisper");
        JsonNode twoPassInfo = null;
        for (JsonNode e : info.path("engines")) if (e.path("id").asText().equals("vosk+whisper")) twoPassInfo = e;
        assertThat(twoPassInfo).isNotNull();
        assertThat(twoPassInfo.path("status").asText()).isEqualTo("ready");
        assertThat(twoPassInfo.path("model").path("partials").asText()).isEqualTo("vosk");
        assertThat(twoPassInfo.path("model").path("finals").asText()).isEqualTo("whisper");
        JsonNode ready = JSON.readTree(server.get("/ready").body());
        assertThat(ready.path("engines").path("whisper").asText()).isEqualTo("ready");
        assertThat(ready.path("engines").path("vosk+whisper").asText()).isEqualTo("ready");
    }
}
