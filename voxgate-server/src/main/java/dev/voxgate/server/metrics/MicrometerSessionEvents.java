package dev.voxgate.server.metrics;

import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.session.SessionEvents;
import dev.voxgate.server.session.SessionInfo;
import dev.voxgate.server.session.SessionSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Session events as Prometheus metrics (names in docs/operations.md). Labels stay bounded: {@code engine} is an
 * installed engine's id, {@code outcome} and {@code code} come from the error catalogue.
 */
public final class MicrometerSessionEvents implements SessionEvents {
    private final MeterRegistry registry;
    private final AtomicInteger active = new AtomicInteger();

    public MicrometerSessionEvents(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("voxgate.sessions.active", active, AtomicInteger::get)
                .description("Streaming sessions open now").register(registry);
    }

    @Override
    public void sessionStarted(SessionInfo session) {
        active.incrementAndGet();
    }

    @Override
    public void sessionRejected(String engine, ErrorCode code) {
        outcome(engine, code.code());
        error(code);
    }

    @Override
    public void audioReceived(SessionInfo session, double seconds) {
        AudioCounter.of(registry, engine(session.engine()), "stream").increment(seconds);
    }

    @Override
    public void audioDecoded(SessionInfo session, double audio, long nanos) {
        Timer.builder("voxgate.decode.duration").description("Engine time per batch of streamed audio decoded")
                .tag("engine", engine(session.engine())).serviceLevelObjectives(Buckets.DECODE)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void finalized(SessionInfo session, long latencyNanos) {
        Timer.builder("voxgate.finalization.latency").description("Time from end_stream to the last final being sent")
                .tag("engine", engine(session.engine())).serviceLevelObjectives(Buckets.FINALIZATION)
                .register(registry).record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void errorSent(SessionInfo session, ErrorCode code) {
        error(code);
    }

    @Override
    public void sessionEnded(SessionInfo session, SessionSummary summary) {
        active.decrementAndGet();
        outcome(session.engine(), summary.outcome());
        if (summary.audioSeconds() > 0.5) {
            DistributionSummary.builder("voxgate.session.realtime.factor")
                    .description("Decode time divided by audio duration, per session")
                    .tag("engine", engine(session.engine())).serviceLevelObjectives(Buckets.REALTIME_FACTOR)
                    .register(registry).record(summary.decodeSeconds() / summary.audioSeconds());
        }
    }

    private void outcome(String engine, String outcome) {
        Counter.builder("voxgate.sessions").description("Streaming sessions by how they ended")
                .tag("outcome", outcome).tag("engine", engine(engine)).register(registry)
                .increment();
    }

    private void error(ErrorCode code) {
        Counter.builder("voxgate.errors").description("Errors sent to streaming clients, by code")
                .tag("code", code.code()).register(registry).increment();
    }

    static String engine(String id) {
        return id == null ? "default" : id;
    }
}
