package dev.voxgate.server.guard;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryWsTokensTest {
    private final AtomicLong now = new AtomicLong();
    private final MemoryWsTokens tokens = new MemoryWsTokens(Duration.ofSeconds(60), now::get);

    @Test
    void aTokenWorksOnceForItsKey() {
        String t = tokens.issue("0123abcd");
        assertThat(t).startsWith("vgt_").hasSize(47);
        assertThat(tokens.redeem(t)).contains("0123abcd");
        assertThat(tokens.redeem(t)).as("replayed").isEmpty();
    }

    @Test
    void anExpiredTokenIsRefused() {
        String t = tokens.issue("0123abcd");
        now.addAndGet(TimeUnit.SECONDS.toNanos(61));
        assertThat(tokens.redeem(t)).isEmpty();
    }

    @Test
    void tokensAreUnguessableAndForeignStringsFail() {
        assertThat(tokens.issue("a")).isNotEqualTo(tokens.issue("a"));
        assertThat(tokens.redeem(null)).isEmpty();
        assertThat(tokens.redeem("vgt_" + "A".repeat(43))).isEmpty();
        assertThat(tokens.redeem("vg_0123abcd_" + "A".repeat(43))).isEmpty();
    }
}
