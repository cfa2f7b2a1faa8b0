/**
 * What every remote engine module shares: {@link dev.voxgate.engine.remote.RemoteEngine}, the engine around the
 * sessions; a {@link dev.voxgate.engine.remote.RemoteProbe} that tells whether the remote answers (so a remote down at
 * start-up shows as down and is used once it answers); settings parsing; and for the WebSocket engines the session
 * plumbing ({@link dev.voxgate.engine.remote.SocketInbox}, {@link dev.voxgate.engine.remote.RemoteStream}).
 */
package dev.voxgate.engine.remote;
