package dev.voxgate.server.session;

import dev.voxgate.server.error.ErrorCode;

import java.util.List;

/**
 * Paired events of a session's life, for metrics and logs (no static counters). Called from the
 * network, decoder and timer threads; implementations must be thread-safe and quick.
 */
public interface SessionEvents {
    default void sessionStarted(SessionInfo session) {
    }

    /** A connection was refused before a session began (over capacity, bad parameters). */
    default void sessionRejected(String engine, ErrorCode code) {
    }

    default void audioReceived(SessionInfo session, double seconds) {
    }

    default void audioDecoded(SessionInfo session, double audioSeconds, long decodeNanos) {
    }

    /** Time from the end of the stream being asked for to the last final being sent. */
    default void finalized(SessionInfo session, long latencyNanos) {
    }

    default void errorSent(SessionInfo session, ErrorCode code) {
    }

    default void sessionEnded(SessionInfo session, SessionSummary summary) {
    }

    static SessionEvents of(List<SessionEvents> all) {
        return new SessionEvents() {
            @Override public void sessionStarted(SessionInfo s) { all.forEach(e -> e.sessionStarted(s)); }
            @Override public void sessionRejected(String engine,
                    ErrorCode c) { all.forEach(e -> e.sessionRejected(engine, c)); }
            @Override public void audioReceived(SessionInfo s,
                    double sec) { all.forEach(e -> e.audioReceived(s, sec)); }
            @Override public void audioDecoded(SessionInfo s, double a,
                    long n) { all.forEach(e -> e.audioDecoded(s, a, n)); }
            @Override public void finalized(SessionInfo s, long n) { all.forEach(e -> e.finalized(s, n)); }
            @Override public void errorSent(SessionInfo s, ErrorCode c) { all.forEach(e -> e.errorSent(s, c)); }
            @Override public void sessionEnded(SessionInfo s,
                    SessionSummary sum) { all.forEach(e -> e.sessionEnded(s, sum)); }
        };
    }
}
