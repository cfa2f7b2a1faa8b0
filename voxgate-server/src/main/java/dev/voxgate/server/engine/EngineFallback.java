package dev.voxgate.server.engine;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineDescriptor;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code ENGINE_FALLBACK}: the ordered engines a session moves on to when its engine cannot connect, refuses, or
 * fails mid-session, and a circuit breaker per engine (Resilience4j) that marks an engine that keeps failing as down
 * for a cool-off ({@code ENGINE_COOLOFF_MS}), so new sessions go straight to the next one.
 *
 * <p>A breaker counts session opens and session failures: it opens when at least half of an engine's last
 * {@value #WINDOW} of them (and at least {@value #MIN_CALLS}) failed; after the cool-off one session may try the
 * engine again (half-open), and its open closes or reopens the breaker. An engine whose own
 * {@link StreamingEngine#isReady()} is false (a remote whose probe gets no answer) is skipped without counting.
 *
 * <p>Time comes from the {@link Clock} given, so the cool-off is testable. Thread-safe.
 */
public final class EngineFallback {
    static final int WINDOW = 5;
    static final int MIN_CALLS = 3;
    public static final Duration DEFAULT_COOLOFF = Duration.ofSeconds(30);

    private final EngineRegistry engines;
    private final List<String> chain;
    private final CircuitBreakerConfig config;
    private final EngineEvents events;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    public EngineFallback(EngineRegistry engines, List<String> chain, Duration coolOff, Clock clock,
            EngineEvents events) {
        this.engines = engines;
        this.chain = List.copyOf(chain);
        this.events = events;
        this.config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(WINDOW)
                .minimumNumberOfCalls(MIN_CALLS)
                .failureRateThreshold(50)
                .waitDurationInOpenState(coolOff)
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .writableStackTraceEnabled(false)
                .clock(clock)
                .build();
    }

    /** No fallback: sessions use the engine they asked for, and its failures end them. */
    public static EngineFallback none(EngineRegistry engines) {
        return new EngineFallback(engines, List.of(), DEFAULT_COOLOFF, Clock.systemUTC(), EngineEvents.NONE);
    }

    public List<String> chain() {
        return chain;
    }

    public boolean isConfigured() {
        return !chain.isEmpty();
    }

    EngineEvents events() {
        return events;
    }

    /** The engines to try, in order, for a session that asked for {@code requested}: it, then the chain without it. */
    List<String> candidates(String requested) {
        List<String> out = new ArrayList<>();
        out.add(requested);
        for (String id : chain) if (!out.contains(id)) out.add(id);
        return out;
    }

    /** The engine with this id if it can take a session now: loaded, ready, and its breaker not open. */
    Optional<StreamingEngine> usable(String id) {
        Optional<StreamingEngine> e = engines.streaming(id);
        if (e.isEmpty()) return e;
        CircuitBreaker.State s = breaker(id).getState();
        if (s == CircuitBreaker.State.OPEN) {
            // Asking for permission moves an open breaker whose cool-off is over to half-open.
            if (!breaker(id).tryAcquirePermission()) return Optional.empty();
            breaker(id).releasePermission();
        }
        return e;
    }

    /** Whether a session asking for {@code requested} can be served now, by it or by a fallback. */
    public boolean canServe(String requested) {
        return candidates(requested).stream().anyMatch(id -> usable(id).isPresent());
    }

    /** The breaker's state for {@code /api/modules_info}: {@code closed}, {@code open} or {@code half_open}. */
    public String breakerState(String id) {
        return breaker(id).getState().name().toLowerCase(Locale.ROOT);
    }

    /** Whether the breaker holds the engine down now (open, cool-off not over). */
    public boolean isCoolingOff(String id) {
        return breaker(id).getState() == CircuitBreaker.State.OPEN;
    }

    CircuitBreaker breaker(String id) {
        return breakers.computeIfAbsent(id, name -> CircuitBreaker.of(name, config));
    }

    void succeeded(String id, long nanos) {
        breaker(id).onSuccess(nanos, TimeUnit.NANOSECONDS);
    }

    void failed(String id, EngineException e, long nanos) {
        breaker(id).onError(nanos, TimeUnit.NANOSECONDS, e);
        events.failed(id, e.code());
    }

    /**
     * The engine a session asking for {@code requested} opens: it opens {@code requested} or, failing that, the
     * fallbacks in order, and moves on mid-session (replaying the audio since the last final) when its engine fails.
     */
    public StreamingEngine engineFor(String requested) {
        return new FallbackEngine(requested);
    }

    private final class FallbackEngine implements StreamingEngine {
        private final String requested;
        private final EngineDescriptor descriptor;

        FallbackEngine(String requested) {
            this.requested = requested;
            EngineCapabilities caps = engines.status(requested).map(EngineStatus::capabilities).orElseThrow();
            this.descriptor = engines.status(requested)
                    .flatMap(s -> s instanceof EngineStatus.Ready r ? Optional.of(r.engine().descriptor())
                            : Optional.empty())
                    .orElseGet(() -> new EngineDescriptor(requested, requested + " (not loaded)", "", caps,
                            Map.of()));
        }

        @Override
        public EngineDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public boolean isReady() {
            return canServe(requested);
        }

        @Override
        public RecognitionSession open(SessionOptions options, RecognitionListener listener) throws EngineException {
            FallbackSession s = new FallbackSession(EngineFallback.this, candidates(requested), options, listener);
            s.openFirst();
            return s;
        }

        @Override
        public void close() {
            // the registry owns the engines
        }
    }

    /** Thrown when no engine of the chain can take the session. */
    static EngineUnavailableException noneLeft(String requested, EngineException last) {
        return new EngineUnavailableException("engine '" + requested + "' and its fallbacks (ENGINE_FALLBACK) are "
                + "all unavailable" + (last == null ? "" : ": " + last.getMessage()), last);
    }
}
