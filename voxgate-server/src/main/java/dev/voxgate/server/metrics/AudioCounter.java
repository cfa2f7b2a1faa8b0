package dev.voxgate.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code voxgate_audio_received_seconds_total{engine,source}}: streams and files count into one series family. */
final class AudioCounter {
    private AudioCounter() {
    }

    static Counter of(MeterRegistry registry, String engine, String source) {
        return Counter.builder("voxgate.audio.received").baseUnit("seconds")
                .description("Seconds of audio received, from streaming clients (source=stream) and in files "
                        + "(source=request or job)")
                .tag("engine", engine).tag("source", source).register(registry);
    }
}
