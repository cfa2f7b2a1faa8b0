/**
 * The {@code whisperlive} engine: a WhisperLive server's WebSocket protocol (collabora/WhisperLive). The message
 * records ({@link dev.voxgate.engine.whisperlive.WhisperLiveMessage}, {@link
 * dev.voxgate.engine.whisperlive.WhisperLiveOptions}, {@link dev.voxgate.engine.whisperlive.WhisperLiveSegment}) and
 * {@link dev.voxgate.engine.whisperlive.WhisperLiveCodec} know the wire format both ways (pure functions),
 * {@link dev.voxgate.engine.whisperlive.SegmentWindow} turns re-sent segment windows into partials and finals,
 * {@link dev.voxgate.engine.whisperlive.WhisperLiveSession} is the client, and
 * {@link dev.voxgate.engine.whisperlive.WhisperLiveEngine} the thin adapter onto the SPI.
 */
package dev.voxgate.engine.whisperlive;
