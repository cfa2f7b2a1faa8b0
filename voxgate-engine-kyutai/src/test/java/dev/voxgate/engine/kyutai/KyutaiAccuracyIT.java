package dev.voxgate.engine.kyutai;

import dev.voxgate.audio.PcmAudio;
import dev.voxgate.server.ServerComponents;
import dev.voxgate.server.Speech;
import dev.voxgate.server.TestEngines;
import dev.voxgate.server.TestServer;
import dev.voxgate.server.WsClient;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Voxgate whose engines are {@code kyutai} (to the fake moshi-server, which recognises with Vosk) and {@code vosk}
 * itself: the words of the same audio through moshi's wire protocol (16 → 24 kHz floats, msgpack words, utterances
 * rebuilt from words and the VAD, 24 → 16 kHz in the fake) against raw Vosk's, in the same run.
 */
@Timeout(300)
class KyutaiAccuracyIT {
    private static TestServer server;
    private static KyutaiEngine engine;

    @BeforeAll
    static void start() throws Exception {
        engine = Recognizer.kyutai(Recognizer.moshi().url(""), Map.of());
        server = TestServer.start(Map.of("MAX_SESSIONS", "16", "TRANSCRIBE_TIMEOUT_MS", "60000"),
                EngineRegistry.of("vosk", List.of(TestEngines.vosk(), engine)), ServerComponents.Jobs.WITHOUT_JOBS);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (engine != null) engine.close();
    }

    /** Streams as fast as the server takes it; returns the finals' text. */
    private static String stream(URI listen, PcmAudio audio) {
        try (WsClient c = WsClient.connect(listen)) {
            WsClient.Result r = c.stream(audio.toBytes(), 3200);
            assertThat(r.close().code()).as("close after end_stream; messages %s", r.messages()).isEqualTo(1000);
            assertThat(r.error()).isNull();
            assertThat(r.ofType("notice")).as("no fallback").isEmpty();
            return r.finalText();
        }
    }

    @Test
    void wordsThroughMoshisProtocolAreTheRecognizersOwn() {
        // A modest subset keeps the module's tests inside the CI budget; at ~250 words one word is 0.4 point, so the
        // 1-point bound allows the two resamplings and moshi-style utterance cuts to change two or three words.
        List<Utterance> some = new ArrayList<>();
        int words = 0;
        for (Utterance u : Speech.corpus().atLeastWords(250)) {
            if (words >= 250) break;
            some.add(u);
            words += WordErrorRate.normalize(u.reference()).size();
        }
        URI vosk = server.ws("/v1/listen?engine=vosk"), kyutai = server.ws("/v1/listen?engine=kyutai");
        long t0 = System.nanoTime();
        Map<String, String> direct = Speech.forEach(some, 2, u -> stream(vosk, Speech.audio(u)));
        long t1 = System.nanoTime();
        Map<String, String> viaMoshi = Speech.forEach(some, 2, u -> stream(kyutai, Speech.audio(u)));
        long t2 = System.nanoTime();
        double d = WordErrorRate.corpus(some, direct), k = WordErrorRate.corpus(some, viaMoshi);
        System.out.printf(Locale.ROOT, "[kyutai] WER over %d utterances (%d words): raw Vosk %.2f%% (%d ms), "
                + "kyutai engine -> fake moshi-server (Vosk) %.2f%% (%d ms)%n", some.size(), words, d * 100,
                (t1 - t0) / 1_000_000, k * 100, (t2 - t1) / 1_000_000);
        assertThat(d).as("Vosk recognises the speech").isLessThan(0.20);
        assertThat(Math.abs(k - d)).as("kyutai %.4f vs raw Vosk %.4f", k, d).isLessThanOrEqualTo(0.01);
    }
}
