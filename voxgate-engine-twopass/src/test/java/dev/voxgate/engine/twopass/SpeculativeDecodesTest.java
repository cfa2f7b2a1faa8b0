package dev.voxgate.engine.twopass;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Decodes ahead start only on a free thread; none waits in a queue. */
@Timeout(10)
class SpeculativeDecodesTest {

    @Test
    void aDecodeAheadIsRefusedWhileEveryThreadIsBusyAndTakenOnceOneIsFree() throws Exception {
        try (SpeculativeDecodes ahead = new SpeculativeDecodes(1)) {
            CountDownLatch running = new CountDownLatch(1), release = new CountDownLatch(1);
            Future<String> first = ahead.trySubmit(() -> {
                running.countDown();
                release.await();
                return "first";
            });
            assertThat(first).isNotNull();
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

            assertThat(ahead.busy()).isTrue();
            assertThat(ahead.trySubmit(() -> "queued")).isNull();

            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
            Future<String> next = null;
            for (int i = 0; i < 500 && next == null; i++) { // the thread goes back to waiting just after the result
                next = ahead.trySubmit(() -> "next");
                if (next == null) Thread.sleep(10);
            }
            assertThat(next).isNotNull();
            assertThat(next.get(5, TimeUnit.SECONDS)).isEqualTo("next");
        }
    }

    @Test
    void aClosedPoolRefusesRatherThanThrows() {
        SpeculativeDecodes ahead = new SpeculativeDecodes(1);
        ahead.close();
        assertThat(ahead.trySubmit(() -> "late")).isNull();
    }

    @Test
    void halfTheCoresAtLeastOne() {
        assertThat(SpeculativeDecodes.threadsFor(1)).isEqualTo(1);
        assertThat(SpeculativeDecodes.threadsFor(2)).isEqualTo(1);
        assertThat(SpeculativeDecodes.threadsFor(8)).isEqualTo(4);
    }
}
