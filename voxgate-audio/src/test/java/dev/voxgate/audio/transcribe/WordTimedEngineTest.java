package dev.voxgate.audio.transcribe;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.Word;
import dev.voxgate.audio.transcribe.OfflineTranscriberTest.FakeEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class WordTimedEngineTest {
    private static final Segment TEXT = new Segment("Ask not, what", 0.0, 1.0, List.of());
    private static final Segment TIMING = new Segment("ask not what", 0.1, 0.9, List.of(new Word("ask", 0.1, 0.3, 0.9),
            new Word("not", 0.35, 0.5, 0.8), new Word("what", 0.55, 0.9, 1.0)));

    private static List<Segment> run(FakeEngine text, FakeEngine timing, String language) throws EngineException {
        List<Segment> finals = new ArrayList<>();
        WordTimedEngine engine = new WordTimedEngine(text, timing);
        try (RecognitionSession s = engine.open(new SessionOptions(16_000, language), new RecognitionListener() {
            @Override
            public void onFinal(Segment segment) {
                finals.add(segment);
            }
        })) {
            s.accept(new AudioChunk(new byte[3200]));
            s.finish();
        }
        return finals;
    }

    @Test
    void theTextEnginesFinalsGetTheTimingEnginesWordTimes() throws EngineException {
        FakeEngine text = new FakeEngine(List.of(16_000), 16_000);
        FakeEngine timing = new FakeEngine(List.of(16_000), 16_000);
        text.finalsOnFinish = List.of(TEXT);
        timing.finalsOnFinish = List.of(TIMING);

        List<Segment> finals = run(text, timing, "en");

        assertThat(finals).hasSize(1);
        assertThat(finals.get(0).text()).isEqualTo("Ask not, what");
        assertThat(finals.get(0).start()).isEqualTo(0.0);
        assertThat(finals.get(0).words()).extracting(Word::word).containsExactly("Ask", "not,", "what");
        assertThat(finals.get(0).words()).extracting(Word::start).containsExactly(0.1, 0.35, 0.55);
        assertThat(text.onlySession().receivedSamples()).isEqualTo(timing.onlySession().receivedSamples());
        assertThat(timing.onlySession().count("close")).isEqualTo(1);
    }

    @Test
    void aFinalWaitsUntilTheTimingEngineHasHeardPastIt() throws EngineException {
        FakeEngine text = new FakeEngine(List.of(16_000), 16_000);
        FakeEngine timing = new FakeEngine(List.of(16_000), 16_000);
        text.finalsOnFirstChunk = List.of(TEXT); // before the timing engine has its words
        timing.finalsOnFinish = List.of(TIMING);

        List<Segment> finals = run(text, timing, "en");

        assertThat(finals).hasSize(1);
        assertThat(finals.get(0).words()).hasSize(3);
    }

    @Test
    void aLanguageTheTimingEngineLacksGivesTheTextEnginesOwnSession() throws EngineException {
        FakeEngine text = new FakeEngine(List.of(16_000), 16_000);
        FakeEngine timing = new FakeEngine(List.of(16_000), 16_000);
        text.finalsOnFinish = List.of(TEXT);

        List<Segment> finals = run(text, timing, "de");

        assertThat(finals).containsExactly(TEXT);
        assertThat(timing.sessions).isEmpty();
    }

    @Test
    void theDescriptorIsTheTextEnginesWithWordTimings() {
        FakeEngine text = new FakeEngine(List.of(16_000), 16_000);
        WordTimedEngine engine = new WordTimedEngine(text, new FakeEngine(List.of(16_000), 16_000));
        assertThat(engine.descriptor().id()).isEqualTo("fake");
        assertThat(engine.descriptor().capabilities().wordTimings()).isTrue();
    }
}
