package dev.voxgate.server.metrics;

import dev.voxgate.server.engine.EngineEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * Engine events as Prometheus metrics, per engine (names in docs/operations.md): sessions opened, failures,
 * fallbacks, and the latency an engine adds (its session open, and its finish: end of audio to the last final).
 */
public final class MicrometerEngineEvents implements EngineEvents {
    private final MeterRegistry registry;

    public MicrometerEngineEvents(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void opened(String engine, long nanos) {
        Counter.builder("voxgate.engine.sessions").tag("engine", engine)
                .description("Engine sessions opened, per engine").register(registry).increment();
        Timer.builder("voxgate.engine.open.duration").tag("engine", engine)
                .description("Time to open an engine session (for a remote: connect, upgrade, its ready)")
                .serviceLevelObjectives(Buckets.ENGINE_OPEN).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void failed(String engine, String code) {
        Counter.builder("voxgate.engine.failures").tag("engine", engine).tag("code", code)
                .description("Engine sessions that could not open or failed, per engine and error code")
                .register(registry).increment();
    }

    @Override
    public void fellBack(String from, String to) {
        Counter.builder("voxgate.engine.fallbacks").tag("from", from).tag("to", to)
                .description("Sessions moved to the next engine of ENGINE_FALLBACK").register(registry).increment();
    }

    @Override
    public void finished(String engine, long nanos) {
        Timer.builder("voxgate.engine.finish.duration").tag("engine", engine)
                .description("Time an engine takes from the end of a session's audio to its last final")
                .serviceLevelObjectives(Buckets.FINALIZATION).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }
}
