package dev.voxgate.server.guard;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.voxgate.server.session.Ticker;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Function;

/**
 * One limit, {@code perMinute} token buckets per caller (Bucket4j): in this process, or in Redis so every node
 * counts against the same bucket. A caller's bucket refills steadily, so a burst of {@code perMinute} is allowed
 * after a quiet minute and the steady rate is {@code perMinute} a minute.
 */
final class RateLimiter {
    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Allowed, or refused with how long to wait (whole seconds, at least one: Retry-After). */
    record Decision(boolean allowed, long retryAfterSeconds) {
        static final Decision ALLOW = new Decision(true, 0);
    }

    private final String name;
    private final int perMinute;
    private final Function<String, Bucket> buckets;

    private RateLimiter(String name, int perMinute, Function<String, Bucket> buckets) {
        this.name = name;
        this.perMinute = perMinute;
        this.buckets = buckets;
    }

    /** Buckets in this process; idle ones are dropped (after a quiet minute a bucket is full anyway). */
    static RateLimiter local(String name, int perMinute, Ticker ticker) {
        TimeMeter time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return ticker.nanos();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        BucketConfiguration config = configuration(perMinute);
        Cache<String, Bucket> cache = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(2))
                .maximumSize(1_000_000).build();
        return new RateLimiter(name, perMinute, id -> cache.get(id,
                k -> Bucket.builder().withCustomTimePrecision(time).addLimit(config.getBandwidths()[0]).build()));
    }

    /** Buckets shared through a Bucket4j proxy manager (Redis), keyed {@code voxgate:rate:NAME:CALLER}. */
    static RateLimiter shared(String name, int perMinute, ProxyManager<String> proxies) {
        BucketConfiguration config = configuration(perMinute);
        return new RateLimiter(name, perMinute, id -> proxies.getProxy("voxgate:rate:" + name + ":" + id,
                () -> config));
    }

    /** A limit of 0 means none. */
    static RateLimiter off(String name) {
        return new RateLimiter(name, 0, id -> null);
    }

    Decision tryTake(String caller) {
        if (perMinute == 0) return Decision.ALLOW;
        ConsumptionProbe probe;
        try {
            probe = buckets.apply(caller).tryConsumeAndReturnRemaining(1);
        } catch (RuntimeException e) {
            // The shared store is down: serve rather than refuse everyone; the log says limits are not enforced.
            log.warn("rate limit {}: its state cannot be reached ({}); the request is let through", name,
                    e.toString());
            return Decision.ALLOW;
        }
        if (probe.isConsumed()) return Decision.ALLOW;
        long wait = (probe.getNanosToWaitForRefill() + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
        return new Decision(false, Math.max(1, wait));
    }

    String name() {
        return name;
    }

    int perMinute() {
        return perMinute;
    }

    private static BucketConfiguration configuration(int perMinute) {
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(Math.max(1, perMinute)).refillGreedy(Math.max(1, perMinute),
                        Duration.ofMinutes(1)))
                .build();
    }
}
