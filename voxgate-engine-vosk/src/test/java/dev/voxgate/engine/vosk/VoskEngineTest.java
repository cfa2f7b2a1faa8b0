package dev.voxgate.engine.vosk;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.SpeechEngineProvider;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.api.UnsupportedAudioException;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.WavReader;
import dev.voxgate.testkit.SpeechCorpus;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real engine with the bundled model on real speech. */
@Timeout(120)
class VoskEngineTest {
    private static StreamingEngine engine;

    @BeforeAll
    static void load() throws Exception {
        engine = SharedVoskEngine.get();
    }

    private static final class Recorder implements RecognitionListener {
        final List<String> partials = new ArrayList<>();
        final List<Segment> finals = new ArrayList<>();

        @Override public void onPartial(String text) { partials.add(text); }
        @Override public void onFinal(Segment segment) { finals.add(segment); }
    }

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(SpeechEngineProvider.class).stream().map(p -> p.get().id()))
                .contains("vosk");
    }

    @Test
    void recognisesSpeechWithPartialsAndTimedWords() throws Exception {
        Utterance u = SpeechCorpus.load().utterances().stream().filter(x -> x.seconds() > 4).findFirst().orElseThrow();
        PcmAudio audio = WavReader.read(u.wav());
        Recorder r = new Recorder();
        byte[] pcm = audio.toBytes();
        try (RecognitionSession s = engine.open(new SessionOptions(16000, "en"), r)) {
            for (int pos = 0; pos < pcm.length; pos += 3200) {
                s.accept(new AudioChunk(Arrays.copyOfRange(pcm, pos, Math.min(pcm.length, pos + 3200))));
            }
            s.finish();
            assertThatThrownBy(() -> s.accept(new AudioChunk(new byte[2]))).isInstanceOf(IllegalStateException.class);
        }
        String text = String.join(" ", r.finals.stream().map(Segment::text).toList());
        assertThat(WordErrorRate.corpus(List.of(u), Map.of(u.id(), text))).as("'%s' vs '%s'", text, u.reference())
                .isLessThan(0.35);
        assertThat(r.partials).isNotEmpty();
        for (Segment seg : r.finals) {
            assertThat(seg.words()).isNotEmpty();
            assertThat(seg.start()).isLessThanOrEqualTo(seg.end());
            assertThat(seg.end()).isLessThanOrEqualTo(audio.seconds() + 0.1);
            seg.words().forEach(w -> assertThat(w.confidence()).isBetween(0.0, 1.0));
        }
    }

    @Test
    void silenceGivesNoFinal() throws Exception {
        Recorder r = new Recorder();
        try (RecognitionSession s = engine.open(new SessionOptions(16000, null), r)) {
            s.accept(new AudioChunk(new byte[3 * 32000]));
            s.finish();
        }
        assertThat(r.finals).isEmpty();
    }

    @Test
    void refusesRatesAndLanguagesItCannotTake() {
        assertThatThrownBy(() -> engine.open(new SessionOptions(8000, null), new Recorder()))
                .isInstanceOf(UnsupportedAudioException.class).hasMessageContaining("16000");
        assertThatThrownBy(() -> engine.open(new SessionOptions(16000, "fr"), new Recorder()))
                .isInstanceOf(UnsupportedAudioException.class).hasMessageContaining("fr");
    }

    @Test
    void closeIsIdempotentAndSafeAfterFinish() throws Exception {
        RecognitionSession s = engine.open(new SessionOptions(16000, null), new Recorder());
        s.finish();
        s.close();
        s.close();
    }

    @Test
    void configuredModelPathThatIsNoModelIsReportedWithTheFix(@TempDir Path dir) {
        assertThatThrownBy(() -> new VoskEngineProvider()
                .create(new EngineContext(Map.of("VOSK_MODEL_PATH", dir.toString()), dir)))
                .isInstanceOf(EngineUnavailableException.class).hasMessageContaining("VOSK_MODEL_PATH=" + dir);
    }

    @Test
    void warmRecognizersSettingIsReadAndAWrongOneIsReportedWithItsRange(@TempDir Path dir) throws Exception {
        assertThat(VoskEngineProvider.warmRecognizers(new EngineContext(Map.of(), dir)))
                .isEqualTo(VoskEngineProvider.defaultWarmRecognizers()).isZero(); // opt-in: see its javadoc
        assertThat(VoskEngineProvider.warmRecognizers(new EngineContext(Map.of("VOSK_WARM_RECOGNIZERS", " 8 "), dir)))
                .isEqualTo(8);
        for (String wrong : List.of("-1", "many", "1025")) {
            assertThatThrownBy(() -> VoskEngineProvider.warmRecognizers(
                    new EngineContext(Map.of("VOSK_WARM_RECOGNIZERS", wrong), dir)))
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessageContaining("VOSK_WARM_RECOGNIZERS=" + wrong).hasMessageContaining("0 to 1024");
        }
    }

    @Test
    void configuredModelPathIsUsed() throws Exception {
        Path bundled = Path.of(engine.descriptor().model().get("path"));
        try (StreamingEngine other = (StreamingEngine) new VoskEngineProvider().create(
                new EngineContext(Map.of("VOSK_MODEL_PATH", bundled.toString()), bundled.getParent()))) {
            assertThat(other.descriptor().model().get("origin")).isEqualTo("configured");
            assertThat(other.descriptor().model().get("path")).isEqualTo(bundled.toString());
        }
    }
}
