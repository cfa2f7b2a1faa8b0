package dev.voxgate.bench.load;

/**
 * What one benchmark session measured, in milliseconds from its own events.
 *
 * @param readyMs        connect → {@code ready}
 * @param firstPartialMs the audio chunk holding the speech onset sent → the first partial after it (NaN if none)
 * @param finalizeMs     {@code end_stream} sent → the server's close (which follows the last final)
 * @param totalMs        connect → close
 */
public record SessionResult(String clip, boolean ok, String error, int closeCode, double audioSeconds,
                            double readyMs, double firstPartialMs, double finalizeMs, double totalMs, String text) {
}
