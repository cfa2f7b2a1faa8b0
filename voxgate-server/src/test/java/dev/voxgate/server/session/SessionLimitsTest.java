package dev.voxgate.server.session;

import dev.voxgate.server.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(5)
class SessionLimitsTest {
    private static final long MS = 1_000_000L;
    private final SessionLimits limits = new SessionLimits(Duration.ofMillis(1000), Duration.ofMillis(300),
            Duration.ofMillis(200), 1024);

    @Test
    void inactivityCountsFromTheLastAudio() {
        assertThat(limits.expired(900 * MS, 0, 700 * MS, -1, false)).isNull();
        assertThat(limits.expired(1001 * MS, 0, 700 * MS, -1, false)).isEqualTo(ErrorCode.CONNECTION_TIMEOUT);
        assertThat(limits.expired(400 * MS, 0, 50 * MS, -1, false)).isEqualTo(ErrorCode.INACTIVITY_TIMEOUT);
    }

    @Test
    void aClientHeldBackByBackpressureIsNotInactive() {
        assertThat(limits.expired(400 * MS, 0, 50 * MS, -1, true)).isNull();
    }

    @Test
    void afterTheEndOnlyTheTranscribeTimeoutApplies() {
        assertThat(limits.expired(5000 * MS, 0, 0, 4900 * MS, false)).isNull();
        assertThat(limits.expired(5101 * MS, 0, 0, 4900 * MS, false)).isEqualTo(ErrorCode.TRANSCRIBE_TIMEOUT);
    }

    @Test
    void checkIntervalFollowsTheShortestLimit() {
        assertThat(limits.checkInterval()).isEqualTo(Duration.ofMillis(40));
        SessionLimits big = new SessionLimits(Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofSeconds(10),
                1024);
        assertThat(big.checkInterval()).isEqualTo(Duration.ofMillis(250));
    }
}
