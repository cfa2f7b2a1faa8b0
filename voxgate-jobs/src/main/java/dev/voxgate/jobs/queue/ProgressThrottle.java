package dev.voxgate.jobs.queue;

/**
 * Decides when a progress report is worth a database write: when a second has passed since the
 * last write, or progress moved by 5 points. Transcribers may report thousands of times a second.
 * Thread-safe: a transcriber may report from more than one thread.
 */
final class ProgressThrottle {
    static final long INTERVAL_NANOS = 1_000_000_000L;
    static final int STEP_PERCENT = 5;

    private long lastWriteNanos;
    private int lastPercent;

    ProgressThrottle(long startNanos) {
        this.lastWriteNanos = startNanos;
        this.lastPercent = 0;
    }

    /** Percent in 0–99 (100 means done, which only success writes). */
    static int percent(double fraction) {
        if (Double.isNaN(fraction)) return 0;
        return (int) Math.max(0, Math.min(99, Math.floor(fraction * 100)));
    }

    /** True when this report should be written; remembers it as written. */
    synchronized boolean shouldWrite(int percent, long nowNanos) {
        if (nowNanos - lastWriteNanos >= INTERVAL_NANOS || Math.abs(percent - lastPercent) >= STEP_PERCENT) {
            lastWriteNanos = nowNanos;
            lastPercent = percent;
            return true;
        }
        return false;
    }
}
