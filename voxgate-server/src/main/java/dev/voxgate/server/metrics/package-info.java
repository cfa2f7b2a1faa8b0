/**
 * Prometheus metrics through Micrometer: {@link dev.voxgate.server.metrics.MicrometerSessionEvents} turns the
 * session's paired events into counters, gauges and timers (names in docs/operations.md). No static counters.
 */
package dev.voxgate.server.metrics;
