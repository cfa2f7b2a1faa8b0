package dev.voxgate.server.session;

/** Who a session is, for logs and metrics. */
public record SessionInfo(String id, String engine, int sampleRate, String remote) {
}
