package dev.voxgate.server.logging;

import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.session.SessionEvents;
import dev.voxgate.server.session.SessionInfo;
import dev.voxgate.server.session.SessionSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line when a session starts and one when it ends, with key-value pairs (JSON fields with LOG_FORMAT=json). */
public final class LoggingSessionEvents implements SessionEvents {
    private static final Logger log = LoggerFactory.getLogger("voxgate.session");

    @Override
    public void sessionStarted(SessionInfo s) {
        log.atInfo().addKeyValue("sessionId", s.id()).addKeyValue("engine", s.engine())
                .addKeyValue("sampleRate", s.sampleRate()).addKeyValue("remote", s.remote()).log("session started");
    }

    @Override
    public void sessionRejected(String engine, ErrorCode code) {
        log.atInfo().addKeyValue("engine", engine).addKeyValue("outcome", code.code()).log("session refused");
    }

    @Override
    public void sessionEnded(SessionInfo s, SessionSummary sum) {
        log.atInfo().addKeyValue("sessionId", s.id()).addKeyValue("engine", s.engine())
                .addKeyValue("audioSeconds", Math.round(sum.audioSeconds() * 100) / 100.0)
                .addKeyValue("decodeSeconds", Math.round(sum.decodeSeconds() * 100) / 100.0)
                .addKeyValue("durationMs", sum.duration().toMillis())
                .addKeyValue("outcome", sum.outcome()).log("session ended");
    }
}
