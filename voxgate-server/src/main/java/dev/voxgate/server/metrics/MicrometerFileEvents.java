package dev.voxgate.server.metrics;

import dev.voxgate.server.files.FileEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * Files transcribed, for the synchronous route and for jobs alike: {@code voxgate_file_transcription_seconds}
 * (a histogram by engine, source and outcome, so its count is the number of files) and the audio they held in
 * {@code voxgate_audio_received_seconds_total}.
 */
public final class MicrometerFileEvents implements FileEvents {
    private final MeterRegistry registry;

    public MicrometerFileEvents(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void transcribed(String engine, Source source, double audioSeconds, long nanos) {
        AudioCounter.of(registry, MicrometerSessionEvents.engine(engine), source.label()).increment(audioSeconds);
        timer(engine, source, "completed").record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void failed(String engine, Source source, String code, long nanos) {
        timer(engine, source, code).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(String engine, Source source, String outcome) {
        return Timer.builder("voxgate.file.transcription")
                .description("Wall time per file transcribed (probe, decode, recognition), by how it ended")
                .tag("engine", MicrometerSessionEvents.engine(engine)).tag("source", source.label())
                .tag("outcome", outcome).serviceLevelObjectives(Buckets.FILE).register(registry);
    }
}
