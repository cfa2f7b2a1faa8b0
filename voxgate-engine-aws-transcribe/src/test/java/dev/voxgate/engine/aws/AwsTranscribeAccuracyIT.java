package dev.voxgate.engine.aws;

import dev.voxgate.audio.PcmAudio;
import dev.voxgate.server.Speech;
import dev.voxgate.server.TestEngines;
import dev.voxgate.server.TestServer;
import dev.voxgate.server.WsClient;
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
 * A Voxgate whose engine is {@code aws-transcribe}, the real AWS SDK talking to the fake Transcribe (which recognises
 * with Vosk), against a Voxgate running the same Vosk directly, on the same audio in the same run: the words that
 * reach the client through Transcribe's wire protocol (partials, stabilisation, ResultIds, items) must be the
 * recognizer's own.
 */
@Timeout(300)
class AwsTranscribeAccuracyIT {
    private static final Map<String, String> SERVER = Map.of("MAX_SESSIONS", "16", "TRANSCRIBE_TIMEOUT_MS", "60000");

    private static TestServer viaAws;
    private static TestServer direct;

    @BeforeAll
    static void start() {
        viaAws = TestServer.streaming(SERVER, Recognizer.shared());
        direct = TestServer.streaming(SERVER, TestEngines.vosk());
    }

    @AfterAll
    static void stop() {
        if (viaAws != null) viaAws.close();
        if (direct != null) direct.close();
    }

    /** Streams as fast as the servers take it; returns the finals' text. */
    private static String stream(URI listen, PcmAudio audio) {
        try (WsClient c = WsClient.connect(listen)) {
            WsClient.Result r = c.stream(audio.toBytes(), 3200);
            assertThat(r.close().code()).as("close after end_stream; messages %s", r.messages()).isEqualTo(1000);
            assertThat(r.error()).isNull();
            return r.finalText();
        }
    }

    @Test
    void wordsThroughTranscribesProtocolAreTheRecognizersOwn() {
        // A modest subset (CI's time budget): the corpus's first 250-odd words, where one point is two or three words,
        // more than Vosk's run-to-run variation between two streams of the same audio (the fake and the direct server
        // both feed Vosk 100 ms chunks, so it should see none).
        List<Utterance> some = new ArrayList<>();
        int words = 0;
        for (Utterance u : Speech.corpus().utterances()) {
            if (words >= 250) break;
            some.add(u);
            words += WordErrorRate.normalize(u.reference()).size();
        }
        long t0 = System.nanoTime();
        Map<String, String> directHyps = Speech.forEach(some, 2,
                u -> stream(direct.ws("/v1/listen"), Speech.audio(u)));
        long t1 = System.nanoTime();
        Map<String, String> awsHyps = Speech.forEach(some, 2, u -> stream(viaAws.ws("/v1/listen"), Speech.audio(u)));
        long t2 = System.nanoTime();
        double d = WordErrorRate.normalizedCorpus(some, directHyps), a = WordErrorRate.normalizedCorpus(some, awsHyps);
        System.out.printf(Locale.ROOT, "[aws-transcribe] WER over %d utterances (%d words): Vosk directly %.2f%% "
                + "(%d ms), through aws-transcribe %.2f%% (%d ms)%n", some.size(), words, d * 100,
                (t1 - t0) / 1_000_000, a * 100, (t2 - t1) / 1_000_000);
        assertThat(d).as("the recognizer recognises the speech").isLessThan(0.20);
        assertThat(Math.abs(a - d)).as("aws-transcribe %.4f vs direct %.4f", a, d).isLessThanOrEqualTo(0.01);
    }
}
