package dev.voxgate.server.guard;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    @Test
    void aCallerOverItsLimitWaitsForTheRefill() {
        RateLimiter limit = RateLimiter.local("requests", 3, now::get);
        for (int i = 0; i < 3; i++) assertThat(limit.tryTake("key:a").allowed()).isTrue();
        RateLimiter.Decision over = limit.tryTake("key:a");
        assertThat(over.allowed()).isFalse();
        assertThat(over.retryAfterSeconds()).isBetween(19L, 20L); // one token every 20 s
        assertThat(limit.tryTake("key:b").allowed()).as("another caller has its own bucket").isTrue();
        now.addAndGet(TimeUnit.SECONDS.toNanos(20));
        assertThat(limit.tryTake("key:a").allowed()).isTrue();
        assertThat(limit.tryTake("key:a").allowed()).isFalse();
    }

    @Test
    void zeroMeansNoLimit() {
        RateLimiter off = RateLimiter.off("uploads");
        for (int i = 0; i < 1000; i++) assertThat(off.tryTake("ip:1").allowed()).isTrue();
    }
}
