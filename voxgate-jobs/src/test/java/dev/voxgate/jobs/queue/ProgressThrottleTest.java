package dev.voxgate.jobs.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ProgressThrottleTest {
    private static final long MS = 1_000_000L;

    @Test
    void writesEverySecondOrEveryFivePoints() {
        ProgressThrottle t = new ProgressThrottle(0);
        assertThat(t.shouldWrite(1, 10 * MS)).isFalse();
        assertThat(t.shouldWrite(4, 20 * MS)).isFalse();
        assertThat(t.shouldWrite(5, 30 * MS)).isTrue();
        assertThat(t.shouldWrite(6, 40 * MS)).isFalse();
        assertThat(t.shouldWrite(6, 1030 * MS)).isTrue();
        assertThat(t.shouldWrite(6, 1040 * MS)).isFalse();
    }

    @Test
    void percentIsClampedBelowOneHundredUntilDone() {
        assertThat(ProgressThrottle.percent(-0.5)).isZero();
        assertThat(ProgressThrottle.percent(Double.NaN)).isZero();
        assertThat(ProgressThrottle.percent(0.421)).isEqualTo(42);
        assertThat(ProgressThrottle.percent(1.0)).isEqualTo(99);
        assertThat(ProgressThrottle.percent(7)).isEqualTo(99);
    }
}
