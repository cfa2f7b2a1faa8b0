package dev.voxgate.engine.upstream;

import dev.voxgate.audio.PcmAudio;
import dev.voxgate.server.Speech;
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
 * An edge Voxgate whose engine is {@code upstream}, in front of a second real Voxgate running Vosk: the words through
 * the edge against the words of the same recognizer asked directly, over the same WebSocket protocol, and the latency
 * the extra hop adds.
 */
@Timeout(600)
class UpstreamAccuracyIT {
    private static TestServer edge;
    private static UpstreamEngine engine;

    @BeforeAll
    static void start() throws Exception {
        engine = Recognizer.upstream(Recognizer.listenUrl(Recognizer.server()), Map.of());
        edge = TestServer.streaming(Map.of("MAX_SESSIONS", "16", "TRANSCRIBE_TIMEOUT_MS", "60000"), engine);
    }

    @AfterAll
    static void stop() {
        if (edge != null) edge.close();
        if (engine != null) engine.close();
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
    void wordsThroughTheEdgeAreTheRecognizersOwn() {
        // 0.5 point must exceed a word or two of Vosk's run-to-run variation: the team set's 600-odd words.
        List<Utterance> all = Speech.corpus().atLeastWords(600);
        URI direct = Recognizer.server().ws("/v1/listen"), viaEdge = edge.ws("/v1/listen");
        Map<String, String> directHyps = Speech.forEach(all, 2, u -> stream(direct, Speech.audio(u)));
        Map<String, String> edgeHyps = Speech.forEach(all, 2, u -> stream(viaEdge, Speech.audio(u)));
        double d = WordErrorRate.corpus(all, directHyps), e = WordErrorRate.corpus(all, edgeHyps);
        System.out.printf(Locale.ROOT, "[upstream] WER over %d utterances: direct %.2f%%, through the edge %.2f%%%n",
                all.size(), d * 100, e * 100);
        assertThat(d).as("the recognizer recognises the speech").isLessThan(0.20);
        assertThat(Math.abs(e - d)).as("edge %.4f vs direct %.4f", e, d).isLessThanOrEqualTo(0.005);
    }

    /**
     * Latency as a live client feels it: audio sent in real time (100 ms frames), then the time from
     * {@code end_stream} to the last final and from each final's end in the audio to its arrival.
     */
    @Test
    void addedLatencyIsMeasured() throws Exception {
        List<Utterance> few = Speech.corpus().first(6);
        List<Long> directMs = new ArrayList<>(), edgeMs = new ArrayList<>();
        List<Long> directReady = new ArrayList<>(), edgeReady = new ArrayList<>();
        for (Utterance u : few) {
            PcmAudio audio = Speech.audio(u);
            long[] direct = realTime(Recognizer.server().ws("/v1/listen"), audio);
            long[] viaEdge = realTime(edge.ws("/v1/listen"), audio);
            directReady.add(direct[0]);
            directMs.add(direct[1]);
            edgeReady.add(viaEdge[0]);
            edgeMs.add(viaEdge[1]);
        }
        // Medians and the median of the paired differences: the machine is shared, and one slow run moves a mean.
        double d = median(directMs), e = median(edgeMs);
        List<Long> added = new ArrayList<>();
        for (int i = 0; i < directMs.size(); i++) added.add(edgeMs.get(i) - directMs.get(i));
        double a = median(added);
        System.out.printf(Locale.ROOT, "[upstream] end_stream -> close, %d utterances: median direct %.0f ms, "
                + "through the edge %.0f ms, added (median of pairs) %.0f ms (direct %s, edge %s)%n", few.size(), d, e,
                a, directMs, edgeMs);
        System.out.printf(Locale.ROOT, "[upstream] connect -> ready: median direct %.0f ms, through the edge %.0f ms%n",
                median(directReady), median(edgeReady));
        assertThat(a).as("latency the edge adds, ms").isLessThan(1000);
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    /**
     * Connects, sends in real time (100 ms frames), then end_stream; returns the milliseconds from the connect to
     * {@code ready} and from end_stream to the close.
     */
    static long[] realTime(URI listen, PcmAudio audio) throws InterruptedException {
        byte[] pcm = audio.toBytes();
        int frame = audio.sampleRate() / 10 * 2;
        long opened = System.nanoTime();
        try (WsClient c = WsClient.connect(listen)) {
            c.awaitType("ready");
            long readyMs = (System.nanoTime() - opened) / 1_000_000;
            long start = System.nanoTime();
            for (int pos = 0, i = 0; pos < pcm.length; pos += frame, i++) {
                long due = start + i * 100_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                c.sendBinary(pcm, pos, Math.min(frame, pcm.length - pos));
            }
            long t0 = System.nanoTime();
            c.endStream();
            WsClient.Result r = c.awaitClose();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.close().code()).isEqualTo(1000);
            return new long[] {readyMs, ms};
        }
    }
}
