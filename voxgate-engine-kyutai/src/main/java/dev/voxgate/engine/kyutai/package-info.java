/**
 * The {@code kyutai} engine: Kyutai's moshi-server streaming ASR WebSocket (msgpack messages, 24 kHz float PCM).
 * {@link dev.voxgate.engine.kyutai.KyutaiCodec} knows the wire format (pure functions),
 * {@link dev.voxgate.engine.kyutai.KyutaiSession} is the client and turns words into partials and finals,
 * {@link dev.voxgate.engine.kyutai.KyutaiEngine} the thin adapter onto the SPI.
 */
package dev.voxgate.engine.kyutai;
