package dev.voxgate.server.metrics;

import java.time.Duration;
import java.util.Arrays;

/**
 * The histogram buckets, few and fixed: each bucket is a time series in Prometheus, and a dashboard or an alert needs
 * boundaries it can name ("finals within 300 ms"), not the ~70–280 that a percentile histogram publishes.
 */
final class Buckets {
    /** One batch of streamed audio through an engine: milliseconds, seconds when it falls behind. */
    static final Duration[] DECODE = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);
    /** end_stream → last final: the product's targets are 150 ms (Vosk) and 300 ms (two-pass). */
    static final Duration[] FINALIZATION = seconds(0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2, 5, 10, 30);
    /** Opening an engine session: instant for an embedded engine, a connection and a handshake for a remote. */
    static final Duration[] ENGINE_OPEN = seconds(0.005, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);
    /** A whole file or job: seconds to many minutes. */
    static final Duration[] FILE = seconds(0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800);
    /** An HTTP request's answer; uploads of large files take minutes. */
    static final Duration[] HTTP = seconds(0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 10, 30, 120);
    /** Decode time ÷ audio time per session; above 1 the engine fell behind real time. */
    static final double[] REALTIME_FACTOR = {0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0};

    private Buckets() {
    }

    private static Duration[] seconds(double... bounds) {
        return Arrays.stream(bounds).mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9))).toArray(Duration[]::new);
    }
}
