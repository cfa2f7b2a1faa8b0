/**
 * The {@code upstream} engine: another Voxgate server's native WebSocket protocol ({@code /v1/listen}), so an edge
 * Voxgate can stand in front of a recognizer Voxgate on a GPU or CPU box. {@link UpstreamCodec} knows the wire format
 * (pure functions), {@link UpstreamSession} is the client, {@link UpstreamEngine} the thin adapter onto the SPI.
 */
package dev.voxgate.engine.upstream;
