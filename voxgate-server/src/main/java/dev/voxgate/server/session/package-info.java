/**
 * Streaming sessions, independent of any wire protocol. {@link dev.voxgate.server.session.SessionManager} admits
 * and times out sessions; each {@link dev.voxgate.server.session.StreamSession} is a state machine that feeds one
 * engine session on the {@link dev.voxgate.server.session.DecoderPool} threads, one turn at a time per session,
 * and talks to its client only through {@link dev.voxgate.server.session.ClientChannel}. Threads:
 * docs/concurrency.md.
 */
package dev.voxgate.server.session;
