package dev.voxgate.jobs.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests set and move; each reading may also tick forward by a fixed step. */
public final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;
    private final Duration tick;

    public MutableClock(Instant start, Duration tick) {
        this.now = new AtomicReference<>(start);
        this.tick = tick;
    }

    /** Starts at the real time, so file times and JobRunr's own (real) times stay comparable. */
    public static MutableClock startingNow() {
        return new MutableClock(Instant.now(), Duration.ofMillis(1));
    }

    public void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public Instant instant() {
        return now.getAndUpdate(t -> t.plus(tick));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
