package dev.voxgate.server.session;

import dev.voxgate.server.error.ErrorCode;

import java.time.Duration;

/**
 * Per-session limits.
 *
 * @param connectionTimeout longest a session may last ({@code CONNECTION_TIMEOUT_MS})
 * @param inactivityTimeout longest without audio or keepalive ({@code INACTIVITY_TIMEOUT_MS})
 * @param transcribeTimeout longest wait for the last finals after the end was asked for ({@code TRANSCRIBE_TIMEOUT_MS})
 *                          (a quarter of it bounds each session's backlog: {@link DecodeBacklog})
 * @param maxFrameBytes     largest binary frame accepted ({@code MAX_FRAME_BYTES})
 */
public record SessionLimits(Duration connectionTimeout, Duration inactivityTimeout, Duration transcribeTimeout,
        int maxFrameBytes) {

    /**
     * Which timeout, if any, has expired at {@code now}. All times are {@link Ticker} nanoseconds.
     *
     * @param endRequested when the end of the stream was asked for, or {@code -1} while streaming
     * @param readingPaused whether the server itself stopped reading (backpressure): the client is then not idle
     */
    public ErrorCode expired(long now, long started, long lastActivity, long endRequested, boolean readingPaused) {
        if (endRequested >= 0) {
            return now - endRequested > transcribeTimeout.toNanos() ? ErrorCode.TRANSCRIBE_TIMEOUT : null;
        }
        if (now - started > connectionTimeout.toNanos()) return ErrorCode.CONNECTION_TIMEOUT;
        if (!readingPaused && now - lastActivity > inactivityTimeout.toNanos()) return ErrorCode.INACTIVITY_TIMEOUT;
        return null;
    }

    /** How often the timer should look at sessions: a fraction of the shortest limit, within 10–250 ms. */
    public Duration checkInterval() {
        long shortest = Math.min(connectionTimeout.toMillis(),
                Math.min(inactivityTimeout.toMillis(), transcribeTimeout.toMillis()));
        return Duration.ofMillis(Math.max(10, Math.min(250, shortest / 5)));
    }
}
