package dev.voxgate.server.upload;

import io.javalin.http.Context;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Locale;

/**
 * What is left of a request body once its route has answered. A route may answer before reading
 * the body (a declared size over the limit, the wrong content type, no such route); if the server
 * then closed the connection while the client was still sending, many clients (Node's fetch, and
 * so OpenAI's Node SDK) report a broken pipe instead of the answer. So the rest of the body is read
 * and dropped before the answer goes out, up to {@link #DISCARD_LIMIT}; past that the answer says
 * {@code Connection: close}, since reading on would only let a stranger keep the server busy.
 */
public final class RequestBodies {
    private static final Logger log = LoggerFactory.getLogger(RequestBodies.class);
    /** Most bytes read and dropped after an answer: a few seconds of upload on a slow link. */
    public static final long DISCARD_LIMIT = 8L * 1024 * 1024;

    private RequestBodies() {
    }

    /** Runs after every HTTP handler (a Javalin after-handler), before the answer is written. */
    public static void discardUnread(Context ctx) {
        discardUnread(ctx.req(), ctx.res());
    }

    /** The same for an answer written before any route ran (the guard's refusals). */
    public static void discardUnread(HttpServletRequest req, HttpServletResponse res) {
        long declared = req.getContentLengthLong();
        boolean chunked = req.getHeader("Transfer-Encoding") != null
                && req.getHeader("Transfer-Encoding").toLowerCase(Locale.ROOT).contains("chunked");
        if (declared <= 0 && !chunked) return;
        if (res.isCommitted()) return; // a streamed answer: too late to read first
        if (declared > DISCARD_LIMIT) {
            closeAfterAnswer(res);
            return;
        }
        long dropped = 0;
        byte[] buffer = new byte[64 * 1024];
        try {
            ServletInputStream in = req.getInputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                dropped += n;
                if (dropped > DISCARD_LIMIT) {
                    closeAfterAnswer(res);
                    return;
                }
            }
        } catch (IOException | IllegalStateException e) {
            // The body was read another way, or is broken already (a parser gave up on it): do not reuse the
            // connection.
            log.debug("{} {}: the rest of the body could not be read ({}); closing after the answer", req.getMethod(),
                    req.getRequestURI(), e.toString());
            closeAfterAnswer(res);
        }
    }

    private static void closeAfterAnswer(HttpServletResponse res) {
        res.setHeader("Connection", "close");
    }
}
