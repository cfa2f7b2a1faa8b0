package dev.voxgate.server.web;

import io.javalin.config.StaticFilesConfig;
import io.javalin.http.staticfiles.Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Serves the browser client (module {@code voxgate-web}) at {@code /} from the classpath, with
 * headers that keep the page to its own origin: it loads nothing from elsewhere and only
 * connects back to the server that served it, which is also what makes it work unchanged
 * behind an HTTPS reverse proxy (it derives {@code wss://} from the page's own URL).
 */
public final class BrowserClientFiles {
    private static final Logger log = LoggerFactory.getLogger(BrowserClientFiles.class);
    static final String CLASSPATH_ROOT = "/dev/voxgate/web/static";

    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            // The Files view plays a job's audio from a blob it fetched with the key (an <audio> cannot send one).
            "media-src 'self' blob:",
            "connect-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    static final Map<String, String> HEADERS = Map.of(
            // Revalidate every time: the files are small and a stale script after an upgrade would speak an old
            // protocol.
            "Cache-Control", "no-cache",
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer",
            "Permissions-Policy", "microphone=(self), camera=(), geolocation=()");

    private BrowserClientFiles() {
    }

    /** Adds the page to the static files, or logs why there is none (a build without voxgate-web). */
    public static void register(StaticFilesConfig staticFiles) {
        if (BrowserClientFiles.class.getResource(CLASSPATH_ROOT + "/index.html") == null) {
            log.warn("browser client not found on the classpath ({}): / will answer 404", CLASSPATH_ROOT);
            return;
        }
        staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = CLASSPATH_ROOT;
            files.location = Location.CLASSPATH;
            files.headers = HEADERS;
        });
    }
}
