/**
 * The native streaming protocol ({@code /v1/listen}, docs/protocol.md) on Jetty's WebSocket:
 * {@link dev.voxgate.server.transport.ListenEndpoint} and {@code JettyClientChannel} are the only classes that see
 * Jetty's types; {@link dev.voxgate.server.transport.NativeCodec} turns frames into messages and events into
 * frames as pure functions, and {@code CloseCodes} maps each error to its close code.
 */
package dev.voxgate.server.transport;
