package dev.voxgate.server;

import dev.voxgate.api.EngineException;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.WavReader;
import dev.voxgate.audio.WavWriter;
import dev.voxgate.audio.transcribe.OfflineTranscriber;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real speech through a running server over a real WebSocket, scored against the references and
 * against the same engine called in-process on the same files.
 */
@Timeout(900)
class StreamingAccuracyIT {
    private static TestServer server;
    private static List<Utterance> all;
    private static Map<String, String> serverAt16k;

    @BeforeAll
    static void start() {
        all = Speech.corpus().utterances();
        // Accuracy, not speed: a generous end-of-stream timeout keeps a busy machine from failing these.
        server = TestServer.streaming(Map.of("MAX_SESSIONS", "16", "TRANSCRIBE_TIMEOUT_MS", "60000"),
                TestEngines.vosk());
        serverAt16k = Speech.forEach(all, 2, u -> streamCompleted(Speech.audio(u), 3200));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** Streams at the audio's own rate, checks the protocol shape of a clean session, returns the finals' text. */
    static String streamCompleted(PcmAudio audio, int frameBytes) {
        try (WsClient c = WsClient.connect(server.ws("/v1/listen?sample_rate=" + audio.sampleRate()))) {
            WsClient.Result r = c.stream(audio.toBytes(), frameBytes);
            assertThat(r.close().code()).as("close after end_stream; messages %s", r.messages()).isEqualTo(1000);
            assertThat(r.messages().get(0).path("type").asText()).isEqualTo("ready");
            assertThat(r.messages().get(0).path("sampleRate").asInt()).isEqualTo(audio.sampleRate());
            assertThat(r.error()).isNull();
            r.ofType("final").forEach(f -> {
                assertThat(f.path("end").asDouble()).isGreaterThanOrEqualTo(f.path("start").asDouble());
                assertThat(f.path("words").size()).isGreaterThan(0);
                assertThat(f.path("end").asDouble()).isLessThanOrEqualTo(audio.seconds() + 0.5);
            });
            return r.finalText();
        }
    }

    @Test
    void serverPathMatchesTheEngineCalledDirectly() {
        OfflineTranscriber direct = new OfflineTranscriber(TestEngines.vosk());
        Map<String, String> inProcess = Speech.forEach(all, 2, u -> {
            try {
                return direct.transcribe(Speech.audio(u), null).text();
            } catch (EngineException e) {
                throw new AssertionError(e);
            }
        });
        double viaServer = WordErrorRate.corpus(all, serverAt16k);
        double viaEngine = WordErrorRate.corpus(all, inProcess);
        System.out.printf("[wer] server path %.2f%%, in-process %.2f%% over %d utterances%n", viaServer * 100,
                viaEngine * 100, all.size());
        assertThat(viaEngine).as("the real engine recognises the speech").isLessThan(0.20);
        assertThat(Math.abs(viaServer - viaEngine)).as("server %.4f vs in-process %.4f", viaServer, viaEngine)
                .isLessThanOrEqualTo(0.005);
    }

    @ParameterizedTest
    @ValueSource(ints = {44100, 48000})
    void otherSampleRatesAreConvertedForTheEngine(int rate) {
        // Half the set, every source in it: a conversion that lost speech would cost far more than 2 points there.
        List<Utterance> some = Speech.corpus().spread(Speech.corpus().totalSeconds() / 2);
        Map<String, String> hyps = Speech.forEach(some, 2, u -> {
            PcmAudio at = Speech.audio(u).resampledTo(rate);
            return streamCompleted(at, rate / 10 * 2);
        });
        double base = WordErrorRate.corpus(some, serverAt16k);
        double wer = WordErrorRate.corpus(some, hyps);
        System.out.printf("[wer] %d Hz: %.2f%% (16000 Hz: %.2f%%)%n", rate, wer * 100, base * 100);
        assertThat(wer - base).as("%d Hz WER %.4f vs 16 kHz %.4f", rate, wer, base).isLessThanOrEqualTo(0.02);
    }

    /**
     * 8 kHz audio has nothing above 4 kHz, and the 16 kHz model loses accuracy on it whatever the
     * conversion (measured: 13.1% here against 8.2% at 16 kHz). So the server's conversion is held
     * to an independent one instead: SoX's resampler, 8 kHz → 16 kHz, decoded in-process.
     */
    @Test
    void telephoneRateIsConvertedAsWellAsSoxDoes() throws Exception {
        // 1 point must exceed a word or two of run-to-run variation: at least the team's set's 626 words (the
        // fallback's 92, repeated).
        List<Utterance> many = Speech.corpus().atLeastWords(600);
        Map<String, String> viaServer = Speech.forEach(many, 2,
                u -> streamCompleted(Speech.audio(u).resampledTo(8000), 1600));
        OfflineTranscriber direct = new OfflineTranscriber(TestEngines.vosk());
        Path dir = Files.createTempDirectory("voxgate-8k");
        Map<String, String> viaSox = Speech.forEach(many, 2, u -> {
            try {
                Path at8 = dir.resolve(u.id() + "-8k.wav"), at16 = dir.resolve(u.id() + "-16k.wav");
                WavWriter.write(at8, Speech.audio(u).resampledTo(8000));
                // -D: no dither, so the reference is the same in every run (SoX dithers at random by default).
                Process p = new ProcessBuilder("sox", "-D", at8.toString(), "-r", "16000", at16.toString())
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (p.waitFor() != 0) throw new AssertionError("sox failed: " + out);
                return direct.transcribe(WavReader.read(at16), null).text();
            } catch (IOException e) {
                throw new AssertionError("this test needs SoX as an independent resampler: apt-get install sox ("
                        + e.getMessage() + ")", e);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        double server8k = WordErrorRate.corpus(many, viaServer);
        double sox8k = WordErrorRate.corpus(many, viaSox);
        System.out.printf("[wer] 8000 Hz over %d utterances: server %.2f%%, SoX-resampled in-process %.2f%% (16000 Hz: "
                + "%.2f%%)%n",
                many.size(), server8k * 100, sox8k * 100, WordErrorRate.corpus(all, serverAt16k) * 100);
        assertThat(server8k - sox8k).isLessThanOrEqualTo(0.01);
    }

    @ParameterizedTest
    @ValueSource(ints = {333, 4097, 32000})
    void frameSizeDoesNotChangeTheTranscript(int frameBytes) {
        List<Utterance> some = Speech.corpus().first(12);
        Map<String, String> hyps = Speech.forEach(some, 2, u -> streamCompleted(Speech.audio(u), frameBytes));
        double base = WordErrorRate.corpus(some, serverAt16k);
        double wer = WordErrorRate.corpus(some, hyps);
        System.out.printf("[wer] %d-byte frames: %.2f%% (3200-byte: %.2f%%)%n", frameBytes, wer * 100, base * 100);
        assertThat(Math.abs(wer - base)).isLessThanOrEqualTo(0.01);
    }

    @Test
    void oneByteFramesAreReassembled() {
        List<Utterance> some = Speech.corpus().utterances().stream()
                .sorted(Comparator.comparingDouble(Utterance::seconds)).limit(3).toList();
        Map<String, String> hyps = Speech.forEach(some, 2, u -> streamCompleted(Speech.audio(u), 1));
        double base = WordErrorRate.corpus(some, serverAt16k);
        double wer = WordErrorRate.corpus(some, hyps);
        System.out.printf("[wer] 1-byte frames: %.2f%% (3200-byte: %.2f%%)%n", wer * 100, base * 100);
        assertThat(Math.abs(wer - base)).isLessThanOrEqualTo(0.01);
    }

    @Test
    void concurrentSessionsEachGetTheirOwnTranscript() {
        List<Utterance> eight = Speech.corpus().first(8);
        Map<String, String> hyps = Speech.forEach(eight, 8, u -> streamCompleted(Speech.audio(u), 3200));
        for (Utterance u : eight) {
            String hyp = hyps.get(u.id());
            double own = WordErrorRate.corpus(List.of(u), Map.of(u.id(), hyp));
            for (Utterance other : eight) {
                if (other == u) continue;
                double cross = WordErrorRate.corpus(List.of(other), Map.of(other.id(), hyp));
                assertThat(own).as("%s got '%s'", u.id(), hyp).isLessThan(cross);
            }
        }
        double together = WordErrorRate.corpus(eight, hyps);
        double alone = WordErrorRate.corpus(eight, serverAt16k);
        System.out.printf("[wer] 8 concurrent: %.2f%% (one at a time: %.2f%%)%n", together * 100, alone * 100);
        assertThat(Math.abs(together - alone)).isLessThanOrEqualTo(0.03);
    }
}
