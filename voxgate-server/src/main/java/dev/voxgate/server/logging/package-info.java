/**
 * Logging: {@link dev.voxgate.server.logging.LoggingSetup} configures Logback from {@code LOG_LEVEL} and
 * {@code LOG_FORMAT} (text or JSON lines), and {@link dev.voxgate.server.logging.LoggingSessionEvents} writes a
 * line when a streaming session starts and one when it ends.
 */
package dev.voxgate.server.logging;
