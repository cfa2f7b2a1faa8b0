package dev.voxgate.engine.twopass;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PauseDetectorTest {
    private static final int RATE = 16000;

    private static byte[] tone(double seconds, double amplitude) {
        byte[] pcm = new byte[2 * (int) (seconds * RATE)];
        for (int i = 0; i < pcm.length / 2; i++) {
            short v = (short) (amplitude * Math.sin(2 * Math.PI * 300 * i / (double) RATE));
            pcm[2 * i] = (byte) v;
            pcm[2 * i + 1] = (byte) (v >> 8);
        }
        return pcm;
    }

    @Test
    void quietIsMeasuredFromTheLastLoudWindow() {
        PauseDetector p = new PauseDetector(RATE);
        p.accept(tone(0.5, 10000));
        assertThat(p.quietSamples()).isZero();
        p.accept(tone(0.3, 300)); // 30 dB below the speaker: a pause
        assertThat(p.quietSamples()).isEqualTo((long) (0.3 * RATE));
    }

    @Test
    void aQuietSpeakerIsStillSpeech() {
        PauseDetector p = new PauseDetector(RATE);
        p.accept(tone(0.5, 400)); // about -38 dBFS: quiet, but above the floor and the speaker's own level
        assertThat(p.quietSamples()).isZero();
    }

    @Test
    void roomNoiseBelowTheFloorIsQuietEvenBeforeAnyoneSpoke() {
        PauseDetector p = new PauseDetector(RATE);
        p.accept(tone(0.4, 50)); // about -56 dBFS
        assertThat(p.quietSamples()).isEqualTo((long) (0.4 * RATE));
    }

    @Test
    void aNewUtteranceLearnsItsLevelAfresh() {
        PauseDetector p = new PauseDetector(RATE);
        p.accept(tone(0.2, 30000));
        p.reset();
        p.accept(tone(0.2, 1000)); // 30 dB below the last utterance, but this one's own level
        assertThat(p.quietSamples()).isZero();
    }
}
