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

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Session events as Prometheus metrics (names in docs/operations.md). */
public final class MicrometerSessionEvents implements SessionEvents {
    private final MeterRegistry registry;
    private final AtomicInteger active = new AtomicInteger();
    private final Counter audioSeconds;
    private final Timer decodeTime;
    private final DistributionSummary realTimeFactor;
    private final Timer finalizeLatency;

    public MicrometerSessionEvents(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("voxgate.sessions.active", active, AtomicInteger::get)
                .description("Streaming sessions open now").register(registry);
        this.audioSeconds = Counter.builder("voxgate.audio.received").baseUnit("seconds")
                .description("Seconds of audio received from streaming clients").register(registry);
        this.decodeTime = Timer.builder("voxgate.decode.duration")
                .description("Engine time per batch of audio decoded").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        this.realTimeFactor = DistributionSummary.builder("voxgate.session.realtime.factor")
                .description("Decode time divided by audio duration, per session").publishPercentileHistogram()
                .serviceLevelObjectives(0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0).register(registry);
        this.finalizeLatency = Timer.builder("voxgate.finalization.latency")
                .description("Time from end_stream to the last final being sent").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
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
        audioSeconds.increment(seconds);
    }

    @Override
    public void audioDecoded(SessionInfo session, double audio, long nanos) {
        decodeTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void finalized(SessionInfo session, long latencyNanos) {
        finalizeLatency.record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void errorSent(SessionInfo session, ErrorCode code) {
        error(code);
    }

    @Override
    public void sessionEnded(SessionInfo session, SessionSummary summary) {
        active.decrementAndGet();
        outcome(session.engine(), summary.outcome());
        if (summary.audioSeconds() > 0.5) realTimeFactor.record(summary.decodeSeconds() / summary.audioSeconds());
    }

    private void outcome(String engine, String outcome) {
        Counter.builder("voxgate.sessions").description("Streaming sessions by how they ended")
                .tag("outcome", outcome).tag("engine", engine == null ? "default" : engine).register(registry)
                .increment();
    }

    private void error(ErrorCode code) {
        Counter.builder("voxgate.errors").description("Errors sent to streaming clients, by code")
                .tag("code", code.code()).register(registry).increment();
    }
}
