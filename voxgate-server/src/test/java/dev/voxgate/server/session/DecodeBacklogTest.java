package dev.voxgate.server.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/** The backlog's rule, on a hand-driven ticker: audio at 1000 bytes per second, so 100 bytes are 0.1 s. */
@Timeout(10)
class DecodeBacklogTest {
    private static final long MS = 1_000_000L;
    private static final long BYTES_PER_SECOND = 1000;

    private long now;

    private DecodeBacklog backlog(long budgetMillis, long maxBytes) {
        return new DecodeBacklog(BYTES_PER_SECOND, Duration.ofMillis(budgetMillis), maxBytes, () -> now);
    }

    /** Queues tenths of a second until the backlog pauses reading; returns how many it took. */
    private static int tenthsUntilPaused(DecodeBacklog b) {
        int n = 0;
        while (n < 1000) {
            n++;
            if (!b.add(new byte[100])) return n;
        }
        return n;
    }

    /** Decodes everything queued in batches of {@code batchBytes}, each taking {@code millisPerSecond} per second. */
    private void decodeAll(DecodeBacklog b, int batchBytes, long millisPerSecond) {
        DecodeBacklog.Batch batch;
        while ((batch = b.take(batchBytes)) != null) {
            now += batch.pcm().length * millisPerSecond * MS / BYTES_PER_SECOND;
            b.decoded(batch);
        }
    }

    @Test
    void beforeAnyMeasurementDecodingIsAssumedAsSlowAsRealTime() {
        DecodeBacklog b = backlog(250, 1_000_000);
        assertThat(tenthsUntilPaused(b)).as("0.3 s of audio is over a 250 ms budget at 1 s per s").isEqualTo(3);
        assertThat(b.paused()).isTrue();
    }

    @Test
    void aFastDecoderLetsMoreAudioWait() {
        DecodeBacklog b = backlog(250, 1_000_000);
        for (int i = 0; i < 30; i++) {
            tenthsUntilPaused(b);
            decodeAll(b, 500, 100); // a tenth of real time
        }
        assertThat(b.secondsPerSecond()).isCloseTo(0.1, offset(0.02));
        assertThat(tenthsUntilPaused(b)).as("about 2.5 s at 0.1 s per s").isBetween(22, 28);
    }

    @Test
    void aSharedDecoderLetsLessAudioWait() {
        DecodeBacklog b = backlog(1000, 1_000_000);
        for (int i = 0; i < 30; i++) {
            tenthsUntilPaused(b);
            decodeAll(b, 500, 2000); // other sessions' turns make this session's audio take twice real time
        }
        assertThat(b.secondsPerSecond()).isCloseTo(2.0, offset(0.1));
        assertThat(tenthsUntilPaused(b)).as("about 0.5 s at 2 s per s").isBetween(5, 6);
    }

    @Test
    void timeWaitingBehindOtherSessionsCountsAsDecodeTime() {
        DecodeBacklog b = backlog(1000, 1_000_000);
        b.add(new byte[500]);
        now += 1000 * MS; // the decoders were busy with other sessions
        DecodeBacklog.Batch batch = b.take(500);
        now += 100 * MS;
        b.decoded(batch);
        assertThat(b.secondsPerSecond()).as("1.1 s for 0.5 s of audio pulls the rate up").isGreaterThan(1);
    }

    @Test
    void timeBeforeTheDecoderIsReadyIsNotDecodeTime() {
        DecodeBacklog b = backlog(1000, 1_000_000);
        b.add(new byte[500]);
        now += 5000 * MS; // opening the engine session
        b.decoderReady();
        DecodeBacklog.Batch batch = b.take(500);
        now += 50 * MS;
        b.decoded(batch);
        assertThat(b.secondsPerSecond()).isLessThan(1);
    }

    @Test
    void readingResumesOnceUnderHalfTheBudgetAndOnlyOnce() {
        DecodeBacklog b = backlog(1000, 1_000_000);
        assertThat(tenthsUntilPaused(b)).isEqualTo(11);
        // Decoding at the seed's pace keeps the rate at 1 s per s; left after each batch: 0.9 s, 0.7, 0.5 (resume), ...
        boolean[] resumed = new boolean[6];
        for (int i = 0; i < resumed.length; i++) {
            DecodeBacklog.Batch batch = b.take(200);
            now += 200 * MS;
            resumed[i] = b.decoded(batch);
        }
        assertThat(resumed).containsExactly(false, false, true, false, false, false);
        assertThat(b.paused()).isFalse();
    }

    @Test
    void theByteCapHoldsWhateverTheEstimate() {
        DecodeBacklog b = backlog(60_000, 450);
        assertThat(tenthsUntilPaused(b)).as("450 bytes at most, though a minute's budget would allow more")
                .isEqualTo(5);
        DecodeBacklog.Batch batch = b.take(200);
        assertThat(b.decoded(batch)).as("300 bytes left: over half the cap").isFalse();
        assertThat(b.decoded(b.take(100))).isTrue();
    }

    @Test
    void batchesAreWholeChunksInOrderUpToTheLimitAndAtLeastOne() {
        DecodeBacklog b = backlog(60_000, 1_000_000);
        b.add(new byte[] {1, 2});
        b.add(new byte[] {3});
        b.add(new byte[] {4, 5, 6});
        assertThat(b.take(4).pcm()).containsExactly(1, 2, 3);
        assertThat(b.take(1).pcm()).as("a chunk larger than the limit still goes whole").containsExactly(4, 5, 6);
        assertThat(b.take(4)).isNull();
        assertThat(b.isEmpty()).isTrue();
    }

    @Test
    void clearedAudioNoLongerCounts() {
        DecodeBacklog b = backlog(250, 1_000_000);
        tenthsUntilPaused(b);
        DecodeBacklog.Batch inFlight = b.take(100);
        b.clear();
        b.decoded(inFlight);
        assertThat(b.estimate()).isEqualTo(Duration.ZERO);
        assertThat(b.isEmpty()).isTrue();
    }
}
