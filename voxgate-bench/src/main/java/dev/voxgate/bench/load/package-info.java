/**
 * The load generator: {@link dev.voxgate.bench.load.LoadGenerator} opens native-protocol sessions with the JDK
 * WebSocket client, one virtual thread per stream, sends {@link dev.voxgate.bench.load.Clip}s and reports every
 * session ({@link dev.voxgate.bench.load.SessionResult}) with the server's CPU and memory
 * ({@link dev.voxgate.bench.load.ServerProbe}) as a {@link dev.voxgate.bench.load.LoadReport}.
 */
package dev.voxgate.bench.load;
