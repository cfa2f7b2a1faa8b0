package dev.voxgate.engine.whisper;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.SpeechEngineProvider;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.api.UnsupportedAudioException;
import dev.voxgate.testkit.SpeechCorpus;
import dev.voxgate.testkit.Utterance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real engine with the bundled models on the team's speech set. */
@Timeout(240)
class WhisperEngineIT {
    private static StreamingEngine engine;

    @BeforeAll
    static void load() throws Exception {
        long t0 = System.nanoTime();
        engine = Speech.engine();
        System.out.printf(Locale.ROOT, "[whisper] engine ready in %.2f s (cache %s): %s%n", (System.nanoTime() - t0) / 1e9,
                Speech.CACHE, engine.descriptor().model());
    }

    @Test
    void isFoundByServiceLoaderAsWhisper() {
        assertThat(ServiceLoader.load(SpeechEngineProvider.class).stream().map(p -> p.get().id())).contains("whisper");
    }

    @Test
    void describesItselfAsFinalsOnlyWithoutWordTimings() {
        EngineCapabilities c = engine.descriptor().capabilities();
        assertThat(engine.descriptor().id()).isEqualTo("whisper");
        assertThat(c.streaming()).isTrue();
        assertThat(c.partials()).isFalse();
        assertThat(c.wordTimings()).isFalse();
        assertThat(c.sampleRates()).containsExactly(16000);
        assertThat(c.languages()).containsExactly("en");
        assertThat(new WhisperEngineProvider().capabilities()).isEqualTo(c);
        assertThat(engine.descriptor().model()).containsEntry("beams", "4").containsKeys("path", "vad", "sha256", "threads");
        assertThat(engine.isReady()).isTrue();
    }

    @Test
    void devSetWordErrorRateIsWithinTheBound() throws Exception {
        List<Utterance> corpus = SpeechCorpus.load().utterances();
        Map<String, String> hyps = new LinkedHashMap<>();
        double wall = 0, audio = 0;
        for (Utterance u : corpus) {
            short[] pcm = Speech.read(u);
            Speech.Run run = Speech.transcribe(engine, pcm, 0.1);
            wall += run.wallSeconds();
            audio += run.audioSeconds();
            hyps.put(u.id(), run.text());
            assertThat(run.partials()).isZero();
            for (Segment s : run.finals()) {
                assertThat(s.words()).isEmpty();
                assertThat(s.start()).isGreaterThanOrEqualTo(0).isLessThan(s.end());
                assertThat(s.end()).isLessThanOrEqualTo(run.audioSeconds() + 1e-9);
            }
            double wer = Speech.normalizedWer(List.of(u), Map.of(u.id(), run.text()));
            if (wer > 0) System.out.printf(Locale.ROOT, "[whisper] %-22s %5.1f%%  ref: %s%n%34s hyp: %s%n", u.id(), 100 * wer,
                    u.reference(), "", run.text());
        }
        double normalized = Speech.normalizedWer(corpus, hyps);
        double raw = Speech.rawWer(corpus, hyps);
        System.out.printf(Locale.ROOT, "[whisper] dev set: %d utterances, %.1f s; WER %.2f%% normalised, %.2f%% raw (basic); "
                        + "RTF %.3f (%.1f s wall); RSS %d MB%n", corpus.size(), audio, 100 * normalized, 100 * raw, wall / audio, wall,
                Speech.rssMegabytes());
        assertThat(normalized).isLessThanOrEqualTo(0.04);
    }

    @Test
    void silenceGivesNoFinal() throws Exception {
        Speech.Run run = Speech.transcribe(engine, new short[10 * Speech.RATE], 0.1);
        assertThat(run.finals()).allSatisfy(s -> assertThat(s.text()).isEmpty());
    }

    @Test
    void whiteNoiseGivesNoFinal() throws Exception {
        Random random = new Random(42);
        for (double level : new double[] {300, 3000}) { // about -40 and -20 dBFS
            short[] noise = new short[10 * Speech.RATE];
            for (int i = 0; i < noise.length; i++) noise[i] = (short) Math.max(-32768, Math.min(32767, Math.round(random.nextGaussian() * level)));
            Speech.Run run = Speech.transcribe(engine, noise, 0.1);
            assertThat(run.finals()).as("noise at rms %s", level).allSatisfy(s -> assertThat(s.text()).isEmpty());
        }
    }

    @Test
    void finishFlushesSpeechThatRunsToTheEndOfTheStream() throws Exception {
        Utterance u = SpeechCorpus.load().utterances().stream().filter(x -> x.id().equals("jfk-inaugural-1961")).findFirst().orElseThrow();
        short[] speech = Speech.trimmed(Speech.read(u));
        short[] cut = java.util.Arrays.copyOf(speech, speech.length - Speech.RATE / 4); // ends mid-word, no pause
        Speech.Run run = Speech.transcribe(engine, cut, 0.1);
        assertThat(run.finals()).isNotEmpty();
        assertThat(run.finals().get(run.finals().size() - 1).end())
                .isGreaterThan(cut.length / (double) Speech.RATE - 0.6).isLessThanOrEqualTo(cut.length / (double) Speech.RATE);
        assertThat(Speech.recall("and so my fellow americans ask not what your country can do for you ask what you can do for your",
                run.text())).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void anyChunkingGivesTheSameSegments() throws Exception {
        Utterance u = SpeechCorpus.load().utterances().stream().filter(x -> x.id().equals("osr-0034-s01-02")).findFirst().orElseThrow();
        short[] pcm = Speech.read(u);
        Speech.Run tenths = Speech.transcribe(engine, pcm, 0.1);
        Speech.Run odd = Speech.transcribe(engine, pcm, 0.0311875); // 499 samples: frames straddle chunks
        Speech.Run tiny = Speech.transcribe(engine, pcm, 1.0 / Speech.RATE); // one sample per chunk
        assertThat(tenths.finals()).isNotEmpty();
        for (Speech.Run other : List.of(odd, tiny)) {
            assertThat(other.finals()).hasSameSizeAs(tenths.finals());
            for (int i = 0; i < other.finals().size(); i++) {
                assertThat(other.finals().get(i).start()).isEqualTo(tenths.finals().get(i).start());
                assertThat(other.finals().get(i).end()).isEqualTo(tenths.finals().get(i).end());
            }
            assertThat(Speech.normalizedWer(List.of(u), Map.of(u.id(), other.text())))
                    .isLessThanOrEqualTo(Speech.normalizedWer(List.of(u), Map.of(u.id(), tenths.text())) + 0.1);
        }
    }

    @Test
    void refusesRatesAndLanguagesItCannotTake() {
        assertThatThrownBy(() -> engine.open(new SessionOptions(8000, null), new RecognitionListener() { }))
                .isInstanceOf(UnsupportedAudioException.class).hasMessageContaining("16000");
        assertThatThrownBy(() -> engine.open(new SessionOptions(16000, "fr"), new RecognitionListener() { }))
                .isInstanceOf(UnsupportedAudioException.class).hasMessageContaining("fr");
    }

    @Test
    void sessionLifecycle() throws Exception {
        List<Segment> finals = new ArrayList<>();
        RecognitionSession s = engine.open(new SessionOptions(16000, "en-US"), new RecognitionListener() {
            @Override
            public void onFinal(Segment segment) {
                finals.add(segment);
            }
        });
        s.accept(new AudioChunk(new byte[3200]));
        s.finish();
        s.finish();
        assertThatThrownBy(() -> s.accept(new AudioChunk(new byte[2]))).isInstanceOf(IllegalStateException.class);
        s.close();
        s.close();
        assertThatThrownBy(s::finish).isInstanceOf(IllegalStateException.class);
        assertThat(finals).isEmpty();

        RecognitionSession abandoned = engine.open(new SessionOptions(16000, null), new RecognitionListener() { });
        short[] speech = Speech.read(SpeechCorpus.load().first(1).get(0));
        abandoned.accept(new AudioChunk(dev.voxgate.audio.Pcm16.toBytes(speech, 0, Speech.RATE)));
        abandoned.close();
        assertThatThrownBy(() -> abandoned.accept(new AudioChunk(new byte[2]))).isInstanceOf(IllegalStateException.class);
    }
}
