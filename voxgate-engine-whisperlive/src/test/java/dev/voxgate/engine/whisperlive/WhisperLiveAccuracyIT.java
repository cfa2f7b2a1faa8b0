package dev.voxgate.engine.whisperlive;

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
 * A Voxgate whose engine is {@code whisperlive}, in front of the fake WhisperLive server (recognising with Vosk):
 * the words through it against the words of the same Vosk engine serving the same Voxgate directly ({@code
 * engine=vosk}), on the same audio in the same run. What differs is only the path: the float32 frames, the re-sent
 * windows and their reduction to finals, and the incomplete segment finalised at the close.
 */
@Timeout(300)
class WhisperLiveAccuracyIT {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("MAX_SESSIONS", "16", "TRANSCRIBE_TIMEOUT_MS", "60000"),
                EngineRegistry.of("whisperlive", List.of(Recognizer.shared(), TestEngines.vosk())),
                ServerComponents.Jobs.WITHOUT_JOBS);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
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
    void wordsThroughWhisperLiveAreTheRecognizersOwn() {
        // 150-odd words (the first recordings of the set; all 626 words took 2 × 2.5 minutes on the shared test
        // machine): one word of Vosk's chunking noise is 0.7 point, under the 1-point bound, and a lost or repeated
        // segment (5 to 20 words) is 3 points or more, over it.
        List<Utterance> some = new ArrayList<>();
        int words = 0;
        for (Utterance u : Speech.corpus().atLeastWords(150)) {
            if (words >= 150) break;
            some.add(u);
            words += WordErrorRate.normalize(u.reference()).size();
        }
        URI direct = server.ws("/v1/listen?engine=vosk"), through = server.ws("/v1/listen?engine=whisperlive");
        long t0 = System.nanoTime();
        Map<String, String> directHyps = Speech.forEach(some, 2, u -> stream(direct, Speech.audio(u)));
        long t1 = System.nanoTime();
        Map<String, String> whisperLiveHyps = Speech.forEach(some, 2, u -> stream(through, Speech.audio(u)));
        long t2 = System.nanoTime();
        double d = WordErrorRate.corpus(some, directHyps), w = WordErrorRate.corpus(some, whisperLiveHyps);
        System.out.printf(Locale.ROOT, "[whisperlive] WER over %d utterances (%d words): raw Vosk %.2f%% (%d ms), "
                + "through whisperlive %.2f%% (%d ms)%n", some.size(), words, d * 100, (t1 - t0) / 1_000_000,
                w * 100, (t2 - t1) / 1_000_000);
        assertThat(d).as("the recognizer recognises the speech").isLessThan(0.20);
        assertThat(Math.abs(w - d)).as("whisperlive %.4f vs raw Vosk %.4f", w, d).isLessThanOrEqualTo(0.01);
    }
}
