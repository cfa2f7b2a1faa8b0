package dev.voxgate.server.session;

import dev.voxgate.server.error.ErrorCode;

import java.time.Duration;

/**
 * How a session ended.
 *
 * @param outcome {@code completed}, {@code client_closed}, or the {@link ErrorCode#code()} that ended it
 */
public record SessionSummary(String outcome, double audioSeconds, double decodeSeconds, Duration duration) {
}
