package dev.voxgate.server.guard;

import dev.voxgate.server.error.ClientText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per API request and per refusal, on the {@code voxgate.audit} logger: which key (its id, never the key),
 * from where, what, and the answer. No query string: a WebSocket token travels there.
 */
final class AuditLog {
    private static final Logger audit = LoggerFactory.getLogger("voxgate.audit");
    private static final int MAX_PATH = 200;

    private AuditLog() {
    }

    static void record(String keyId, String client, String method, String path, int status) {
        if (!audit.isInfoEnabled()) return;
        audit.info("key={} ip={} {} {} -> {}", keyId == null ? "-" : keyId, client, clean(method), clean(path),
                status);
    }

    /** Paths come from strangers: no control characters (forged log lines), no unbounded length. */
    static String clean(String s) {
        if (s == null) return "-";
        return ClientText.clip(s, MAX_PATH).replaceAll("[\\p{Cntrl}\\s]", "?");
    }
}
