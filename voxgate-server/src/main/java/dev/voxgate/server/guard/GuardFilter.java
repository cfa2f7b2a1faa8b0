package dev.voxgate.server.guard;

import dev.voxgate.server.error.ApiError;
import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.error.HttpErrorMapper;
import dev.voxgate.server.upload.RequestBodies;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every request passes here before Javalin or the WebSocket servlet sees it, in this order: security headers,
 * who the client is ({@code TRUSTED_PROXIES}), {@code ALLOWED_IPS}, the origin check and CORS, {@code /metrics}'
 * own rule, basic auth for the page, then for the API the key (header, WebSocket subprotocol or token) and the
 * rate limits. The outcome of each API request becomes one audit line.
 */
final class GuardFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(GuardFilter.class);
    /** Paths a load balancer or an orchestrator must reach without a key. */
    private static final Set<String> PROBES = Set.of("/health", "/ready");
    private static final Set<String> UPLOAD_ROUTES = Set.of("/api/jobs", "/v1/audio/transcriptions",
            "/v1/audio/translations");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    /** What a browser may send cross-origin to an allowed origin; the keys' headers included. */
    private static final String CORS_HEADERS = "Authorization, X-API-Key, Content-Type";
    private static final String CORS_METHODS = "GET, POST, DELETE, OPTIONS";

    private final transient Guard guard;

    GuardFilter(Guard guard) {
        this.guard = guard;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        String path = req.getRequestURI();
        HttpErrorMapper errors = HttpErrorMapper.forPath(path);
        res.setHeader("X-Content-Type-Options", "nosniff");
        if (guard.config.httpsPublicUrl()) {
            res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        }
        String client = guard.addresses.clientOf(req.getRemoteAddr(), headers(req, "X-Forwarded-For"));
        boolean probe = PROBES.contains(path);
        if (!guard.config.allowedIps().isEmpty() && !probe
                && !ClientAddresses.contains(guard.config.allowedIps(), client)) {
            refuse(req, res, errors, ErrorCode.FORBIDDEN, "this address is not allowed to use the server"
                    + " (ALLOWED_IPS)", null, client);
            return;
        }
        boolean api = isApi(path);
        boolean upgrade = "websocket".equalsIgnoreCase(req.getHeader("Upgrade"));
        String origin = req.getHeader("Origin");
        if (origin != null) {
            if (api && "OPTIONS".equals(req.getMethod()) && req.getHeader("Access-Control-Request-Method") != null) {
                preflight(req, res, errors, origin, client);
                return;
            }
            if ((upgrade || !SAFE_METHODS.contains(req.getMethod()))
                    && !guard.origins.allows(origin, req.getHeader("Host"))) {
                refuse(req, res, errors, ErrorCode.ORIGIN_NOT_ALLOWED, "requests from this page's origin are not"
                        + " allowed (ALLOWED_ORIGINS)", null, client);
                return;
            }
            if (api && guard.origins.corsAllowed(origin)) corsHeaders(res, origin);
        }
        if (path.equals("/metrics")) {
            if (!metricsAllowed(req)) {
                refuse(req, res, errors, guard.config.metricsToken().isPresent() ? ErrorCode.UNAUTHORIZED
                        : ErrorCode.FORBIDDEN, guard.config.metricsToken().isPresent()
                        ? "/metrics needs METRICS_TOKEN as a bearer token"
                        : "/metrics answers on loopback only unless METRICS_TOKEN is set", null, client);
                return;
            }
            chain.doFilter(req, res);
            return;
        }
        if (!api) {
            if (!probe && guard.pageUsers.isPresent() && !guard.pageUsers.get().accepts(req.getHeader(
                    "Authorization"))) {
                res.setHeader("WWW-Authenticate", "Basic realm=\"Voxgate\", charset=\"UTF-8\"");
                refuse(req, res, errors, ErrorCode.UNAUTHORIZED, "this page needs a user name and password", null,
                        client);
                return;
            }
            req.setAttribute(Caller.ATTRIBUTE, new Caller(null, client));
            chain.doFilter(req, res);
            return;
        }
        Caller caller;
        if (guard.keys.isPresent()) {
            Optional<String> keyId = authenticate(req, upgrade);
            if (keyId.isEmpty()) {
                res.setHeader("WWW-Authenticate", "Bearer realm=\"voxgate\"");
                refuse(req, res, errors, ErrorCode.UNAUTHORIZED, unauthorizedMessage(req, upgrade), null, client);
                return;
            }
            caller = new Caller(keyId.get(), client);
        } else {
            caller = new Caller(null, client);
        }
        req.setAttribute(Caller.ATTRIBUTE, caller);
        if (!withinLimits(req, res, errors, caller, path)) return;
        try {
            chain.doFilter(req, res);
        } finally {
            AuditLog.record(caller.keyId(), client, req.getMethod(), path, res.getStatus());
        }
    }

    private boolean withinLimits(HttpServletRequest req, HttpServletResponse res, HttpErrorMapper errors,
                                 Caller caller, String path) throws IOException {
        for (RateLimiter limit : limitsFor(req, path)) {
            RateLimiter.Decision d = limit.tryTake(caller.limitIdentity());
            if (!d.allowed()) {
                res.setHeader("Retry-After", Long.toString(d.retryAfterSeconds()));
                String which = limit == guard.uploads ? "UPLOADS_PER_MINUTE" : "RATE_LIMIT_PER_MINUTE";
                refuse(req, res, errors, ErrorCode.RATE_LIMITED, "over the limit of " + limit.perMinute() + " "
                        + limit.name() + " a minute (" + which + "); retry in " + d.retryAfterSeconds() + " s",
                        caller.keyId(), caller.clientIp());
                return false;
            }
        }
        return true;
    }

    private List<RateLimiter> limitsFor(HttpServletRequest req, String path) {
        if ("POST".equals(req.getMethod()) && UPLOAD_ROUTES.contains(path)) {
            return List.of(guard.requests, guard.uploads);
        }
        return List.of(guard.requests);
    }

    /** The key's id from a header, the {@code token} subprotocol, or a WebSocket token; empty when none is good. */
    private Optional<String> authenticate(HttpServletRequest req, boolean upgrade) {
        ApiKeys keys = guard.keys.orElseThrow();
        String presented = presentedKey(req);
        if (presented != null) return keys.authenticate(presented).map(ApiKeyFile.Entry::id);
        if (upgrade) {
            String token = req.getParameter("token");
            if (token != null) {
                try {
                    return guard.tokens.redeem(token).filter(id -> !id.isEmpty());
                } catch (RuntimeException e) {
                    // The shared token store is down: the token cannot be checked, so it does not open anything.
                    log.warn("a WebSocket token could not be checked: {}", e.toString());
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** A key in {@code Authorization: Bearer}, {@code X-API-Key}, or after {@code token} in the subprotocols. */
    static String presentedKey(HttpServletRequest req) {
        String auth = req.getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) return auth.substring(7).strip();
        String header = req.getHeader("X-API-Key");
        if (header != null) return header.strip();
        List<String> offered = subprotocols(req);
        int at = offered.indexOf(Guard.KEY_SUBPROTOCOL);
        return at >= 0 && at + 1 < offered.size() ? offered.get(at + 1) : null;
    }

    static List<String> subprotocols(HttpServletRequest req) {
        List<String> out = new ArrayList<>();
        for (String h : headers(req, "Sec-WebSocket-Protocol")) {
            for (String p : h.split(",")) {
                if (!p.isBlank()) out.add(p.strip());
            }
        }
        return out;
    }

    private String unauthorizedMessage(HttpServletRequest req, boolean upgrade) {
        if (presentedKey(req) != null) return "the API key is not valid (unknown or revoked)";
        if (upgrade && req.getParameter("token") != null) {
            return "the WebSocket token is not valid: tokens from POST /api/tokens work once, for "
                    + guard.config.tokenTtl().toSeconds() + " s";
        }
        return "an API key is needed: send Authorization: Bearer KEY or X-API-Key: KEY (WebSockets from a browser:"
                + " a token from POST /api/tokens as ?token=, or the subprotocols [\"token\", KEY])";
    }

    private boolean metricsAllowed(HttpServletRequest req) {
        Optional<String> token = guard.config.metricsToken();
        if (token.isPresent()) {
            String auth = req.getHeader("Authorization");
            String given = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip()
                    : "";
            return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                    token.get().getBytes(StandardCharsets.UTF_8));
        }
        // A local proxy in front would make every client look local: a forwarded request is not a local one.
        return isLoopback(req.getRemoteAddr()) && req.getHeader("X-Forwarded-For") == null
                && req.getHeader("Forwarded") == null;
    }

    private void preflight(HttpServletRequest req, HttpServletResponse res, HttpErrorMapper errors, String origin,
                           String client) throws IOException {
        if (!guard.origins.corsAllowed(origin)) {
            refuse(req, res, errors, ErrorCode.ORIGIN_NOT_ALLOWED, "requests from this page's origin are not"
                    + " allowed (ALLOWED_ORIGINS)", null, client);
            return;
        }
        corsHeaders(res, origin);
        res.setHeader("Access-Control-Allow-Methods", CORS_METHODS);
        res.setHeader("Access-Control-Allow-Headers", CORS_HEADERS);
        res.setHeader("Access-Control-Max-Age", "600");
        res.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    private static void corsHeaders(HttpServletResponse res, String origin) {
        res.setHeader("Access-Control-Allow-Origin", origin);
        res.addHeader("Vary", "Origin");
        res.setHeader("Access-Control-Expose-Headers", "Retry-After, x-should-retry");
    }

    private static void refuse(HttpServletRequest req, HttpServletResponse res, HttpErrorMapper errors,
                               ErrorCode code, String message, String keyId, String client) throws IOException {
        RequestBodies.discardUnread(req, res); // an upload refused unread must still get its answer
        errors.send(res, ApiError.of(code, message));
        AuditLog.record(keyId, client, req.getMethod(), req.getRequestURI(), res.getStatus());
    }

    static boolean isApi(String path) {
        return path.startsWith("/api/") || path.startsWith("/v1/") || path.equals("/api") || path.equals("/v1");
    }

    private static boolean isLoopback(String ip) {
        return ip != null && (ip.startsWith("127.") || ip.equals("::1") || ip.equals("0:0:0:0:0:0:0:1")
                || ip.equals("[::1]"));
    }

    private static List<String> headers(HttpServletRequest req, String name) {
        var values = req.getHeaders(name);
        return values == null ? List.of() : Collections.list(values);
    }
}
