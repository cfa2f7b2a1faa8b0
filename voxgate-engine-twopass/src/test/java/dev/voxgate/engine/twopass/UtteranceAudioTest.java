package dev.voxgate.engine.twopass;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class UtteranceAudioTest {
    private static byte[] samples(int from, int count) {
        byte[] b = new byte[2 * count];
        for (int i = 0; i < count; i++) {
            b[2 * i] = (byte) (from + i);
            b[2 * i + 1] = (byte) ((from + i) >> 8);
        }
        return b;
    }

    @Test
    void keepsAbsolutePositionsAcrossDrops() {
        UtteranceAudio a = new UtteranceAudio(1000);
        a.append(samples(0, 100));
        a.append(samples(100, 50));
        assertThat(a.end()).isEqualTo(150);
        a.dropBefore(40);
        assertThat(a.start()).isEqualTo(40);
        assertThat(a.copy(0, 45)).isEqualTo(samples(40, 5));
        assertThat(a.copy(140, 999)).isEqualTo(samples(140, 10));
        assertThat(a.copy(10, 20)).isEmpty();
        a.dropBefore(10_000);
        assertThat(a.start()).isEqualTo(150);
        assertThat(a.end()).isEqualTo(150);
    }

    @Test
    void holdsAtMostItsLimitAndDropsTheOldest() {
        UtteranceAudio a = new UtteranceAudio(100);
        for (int i = 0; i < 10; i++) a.append(samples(i * 30, 30));
        assertThat(a.end() - a.start()).isEqualTo(100);
        assertThat(a.start()).isEqualTo(200);
        assertThat(a.copy(200, 201)).isEqualTo(samples(200, 1));
    }
}
