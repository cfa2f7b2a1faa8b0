package dev.voxgate.engine.whisper;

import dev.voxgate.engine.whisper.SpeechSegmenter.Utterance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The segmenter with made-up speech probabilities; every input sample is kept to check what an utterance holds. */
@Timeout(20)
class SpeechSegmenterTest {
    private static final SegmenterConfig CONFIG = SegmenterConfig.defaults();
    private static final int FRAME = CONFIG.frameSamples();
    private static final int PAD = CONFIG.padSamples();

    private final SpeechSegmenter segmenter = new SpeechSegmenter(CONFIG);
    private final List<Utterance> out = new ArrayList<>();
    private final Random noise = new Random(3);
    private float[] input = new float[1 << 20];
    private long position;

    private void frames(int n, float probability) {
        frames(n, probability, 0.5f);
    }

    /** {@code n} frames of random audio at the level {@code loud}, each with the given speech probability. */
    private void frames(int n, float probability, float loud) {
        for (int i = 0; i < n; i++) {
            out.addAll(segmenter.accept(record(FRAME, loud), probability));
        }
    }

    private void finish(int tail) {
        float[] t = record(tail, 0.5f);
        out.addAll(segmenter.finish(Arrays.copyOf(t, FRAME), tail));
    }

    private float[] record(int n, float loud) {
        float[] f = new float[n];
        for (int k = 0; k < n; k++) f[k] = loud * (noise.nextFloat() * 2 - 1);
        if (position + n > input.length) input = Arrays.copyOf(input, input.length * 2);
        System.arraycopy(f, 0, input, (int) position, n);
        position += n;
        return f;
    }

    private void assertHoldsItsOwnAudio(Utterance u) {
        assertThat(u.samples()).as("audio of the utterance at %d", u.start())
                .isEqualTo(Arrays.copyOfRange(input, (int) u.start(), (int) u.end()));
    }

    @Test
    void silenceGivesNoUtterance() {
        frames(200, 0.05f);
        finish(100);
        assertThat(out).isEmpty();
    }

    @Test
    void speechBetweenPausesIsOneUtterancePaddedOnBothSides() {
        frames(50, 0.02f);
        frames(40, 0.95f);
        frames(15, 0.02f);
        assertThat(out).as("480 ms of silence is not yet the end").isEmpty();
        frames(1, 0.02f);
        assertThat(out).hasSize(1);
        Utterance u = out.get(0);
        assertThat(u.start()).isEqualTo(50L * FRAME - PAD);
        assertThat(u.end()).isEqualTo(90L * FRAME + PAD);
        assertThat(u.startSeconds(16000)).isEqualTo((50.0 * FRAME - PAD) / 16000);
        assertHoldsItsOwnAudio(u);
        frames(100, 0.02f);
        finish(0);
        assertThat(out).hasSize(1);
    }

    @Test
    void shortPausesDoNotSplitAnUtterance() {
        frames(20, 0.0f);
        frames(30, 0.9f);
        frames(10, 0.1f); // 320 ms: a comma, a breath
        frames(30, 0.9f);
        frames(20, 0.1f);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).end()).isEqualTo(90L * FRAME + PAD);
    }

    @Test
    void framesBetweenTheThresholdsHoldSpeechButDoNotStartIt() {
        float between = (CONFIG.startThreshold() + CONFIG.endThreshold()) / 2, below = CONFIG.endThreshold() - 0.05f;
        frames(20, between);
        assertThat(segmenter.finish(new float[0], 0)).isEmpty();

        SpeechSegmenter s = new SpeechSegmenter(CONFIG);
        List<Utterance> got = new ArrayList<>();
        float[] f = new float[FRAME];
        for (int i = 0; i < 10; i++) got.addAll(s.accept(f, 0.1f));
        for (int i = 0; i < 10; i++) got.addAll(s.accept(f, 0.9f));
        for (int i = 0; i < 40; i++) got.addAll(s.accept(f, between)); // the tail of a word
        assertThat(got).isEmpty();
        for (int i = 0; i < 16; i++) got.addAll(s.accept(f, below));
        assertThat(got).hasSize(1);
        assertThat(got.get(0).end()).isEqualTo(60L * FRAME + PAD);
    }

    @Test
    void aClickShorterThanTheShortestSpeechIsDropped() {
        frames(20, 0.0f);
        frames(5, 0.99f); // 160 ms
        frames(40, 0.0f);
        frames(10, 0.99f); // 320 ms: kept
        frames(40, 0.0f);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).start()).isEqualTo(65L * FRAME - PAD);
    }

    @Test
    void continuousSpeechIsCutAtTheQuietestFrameBeforeThirtySeconds() {
        Random random = new Random(7);
        frames(10, 0.0f);
        long speechStart = position;
        long quiet = speechStart - PAD + 27 * 16000; // 27 s into the first utterance: inside the search window
        int quietFrame = (int) (quiet / FRAME);
        for (int i = 0; i < 2500; i++) { // 80 s without a pause
            long f = position / FRAME;
            frames(1, 0.97f, f == quietFrame ? 0.01f : 0.3f + random.nextFloat() * 0.7f);
        }
        frames(20, 0.0f);
        finish(0);

        assertThat(out).hasSizeGreaterThanOrEqualTo(3);
        assertThat(out).allSatisfy(u -> assertThat(u.samples().length).isLessThanOrEqualTo(CONFIG.maxSamples()));
        assertThat(out.get(0).start()).isEqualTo(speechStart - PAD);
        assertThat(out.get(0).end()).as("cut in the middle of the quiet frame")
                .isEqualTo((long) quietFrame * FRAME + FRAME / 2);
        for (int i = 1; i < out.size(); i++) {
            assertThat(out.get(i).start()).as("no audio lost or repeated at cut %d", i).isEqualTo(out.get(i - 1).end());
        }
        assertThat(out.get(out.size() - 1).end()).isEqualTo(speechStart + 2500L * FRAME + PAD);
        out.forEach(this::assertHoldsItsOwnAudio);
    }

    @Test
    void aCutPrefersAFrameTheVadCalledSilenceOverAQuietSpeechFrame() {
        frames(10, 0.0f);
        long speechStart = position;
        int quietSpeech = (int) ((speechStart - PAD + 28 * 16000) / FRAME);
        int dip = (int) ((speechStart - PAD + 26 * 16000) / FRAME);
        for (int i = 0; i < 1100; i++) {
            long f = position / FRAME;
            if (f == dip) frames(1, 0.2f, 0.8f);
            else frames(1, 0.95f, f == quietSpeech ? 0.01f : 0.5f);
        }
        assertThat(out).isNotEmpty();
        assertThat(out.get(0).end()).isEqualTo((long) dip * FRAME + FRAME / 2);
    }

    @Test
    void finishFlushesSpeechInProgressWithItsTail() {
        frames(20, 0.0f);
        frames(30, 0.9f);
        assertThat(out).isEmpty();
        finish(300);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).start()).isEqualTo(20L * FRAME - PAD);
        assertThat(out.get(0).end()).isEqualTo(50L * FRAME + 300);
    }

    @Test
    void finishDuringAShortPauseEndsOnePadAfterTheSpeech() {
        frames(20, 0.0f);
        frames(30, 0.9f);
        frames(10, 0.0f);
        finish(100);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).end()).isEqualTo(50L * FRAME + PAD);
    }

    @Test
    void aTailThatWouldPassThirtySecondsIsCutToo() {
        frames(10, 0.0f);
        frames((CONFIG.maxSamples() - PAD) / FRAME, 0.9f); // with the pad before it, just under 30 s
        assertThat(out).isEmpty();
        finish(FRAME - 1);
        assertThat(out).hasSize(2);
        assertThat(out).allSatisfy(u -> assertThat(u.samples().length).isLessThanOrEqualTo(CONFIG.maxSamples()));
        assertThat(out.get(1).start()).isEqualTo(out.get(0).end());
        assertThat(out.get(1).end()).isEqualTo(position);
        out.forEach(this::assertHoldsItsOwnAudio);
    }

    @Test
    void anUtteranceNeverReachesBackIntoThePreviousOne() {
        // A pad longer than half the pause that ends speech would make two utterances overlap.
        SegmenterConfig wide =
                new SegmenterConfig(16000, FRAME, 0.5f, 0.35f, 8000, 4800, 4000, CONFIG.maxSamples(), 80000);
        SpeechSegmenter s = new SpeechSegmenter(wide);
        List<Utterance> got = new ArrayList<>();
        float[] f = new float[FRAME];
        for (int i = 0; i < 20; i++) got.addAll(s.accept(f, 0.0f));
        for (int i = 0; i < 20; i++) got.addAll(s.accept(f, 0.9f));
        for (int i = 0; i < 16; i++) got.addAll(s.accept(f, 0.0f));
        for (int i = 0; i < 20; i++) got.addAll(s.accept(f, 0.9f));
        got.addAll(s.finish(f, 0));
        assertThat(got).hasSize(2);
        assertThat(got.get(0).end()).isEqualTo(40L * FRAME + 4800);
        assertThat(got.get(1).start()).isEqualTo(got.get(0).end());
    }

    @Test
    void rejectsFramesOfTheWrongSize() {
        assertThatThrownBy(() -> segmenter.accept(new float[100], 0.5f))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
