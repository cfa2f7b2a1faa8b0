package dev.voxgate.engine.whisper;

import dev.voxgate.engine.whisper.RecordingSpeech.Span;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the speech of a recording decoded whole lies, from made-up speech probabilities. */
@Timeout(10)
class RecordingSpeechTest {
    private static final SegmenterConfig CONFIG = SegmenterConfig.defaults();
    /** 200 ms of 32 ms frames, rounded up. */
    private static final int PAD = 7;

    private final RecordingSpeech speech = new RecordingSpeech(CONFIG);

    /** {@code frames} frames at {@code quiet}, with {@code level} from {@code from} to {@code to}. */
    private static float[] probabilities(int frames, float quiet, int from, int to, float level) {
        float[] p = new float[frames];
        Arrays.fill(p, quiet);
        Arrays.fill(p, from, to, level);
        return p;
    }

    @Test
    void speechIsPaddedOnBothSidesAsTheLiveSegmenterPadsIt() {
        assertThat(speech.speech(probabilities(200, 0.01f, 50, 120, 0.9f), 200))
                .contains(new Span(50 - PAD, 120 + PAD));
    }

    @Test
    void padsStopAtTheEndsOfTheRecording() {
        assertThat(speech.speech(probabilities(100, 0.01f, 2, 99, 0.9f), 100)).contains(new Span(0, 100));
    }

    @Test
    void speechBeginsAboveTheStartThresholdAndEndsAtTheLastFrameAtTheEndThreshold() {
        float[] p = probabilities(300, 0.01f, 100, 150, 0.9f);
        Arrays.fill(p, 20, 40, CONFIG.startThreshold()); // at the start threshold, not above it: not speech yet
        Arrays.fill(p, 150, 180, CONFIG.endThreshold()); // the tail of the last word still counts
        assertThat(speech.speech(p, 300)).contains(new Span(100 - PAD, 180 + PAD));
    }

    @Test
    void pausesInsideTheSpeechDoNotSplitIt() {
        float[] p = probabilities(400, 0.01f, 10, 100, 0.9f);
        Arrays.fill(p, 250, 300, 0.9f);
        assertThat(speech.speech(p, 400)).contains(new Span(10 - PAD, 300 + PAD));
    }

    @Test
    void onlyTheFramesGivenCount() {
        float[] p = probabilities(400, 0.01f, 10, 100, 0.9f);
        Arrays.fill(p, 250, 300, 0.9f);
        assertThat(speech.speech(p, 120)).contains(new Span(10 - PAD, 100 + PAD));
        assertThat(speech.speech(p, 5)).isEmpty();
    }

    @Test
    void aRecordingWithNoFrameAboveTheStartThresholdHasNoSpeech() {
        assertThat(speech.speech(probabilities(300, CONFIG.endThreshold(), 0, 0, 0), 300)).isEmpty();
        assertThat(speech.speech(new float[0], 0)).isEmpty();
    }
}
