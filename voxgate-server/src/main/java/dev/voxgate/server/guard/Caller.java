package dev.voxgate.server.guard;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;

import java.util.Optional;

/**
 * Who is calling, as the guard established it before any route ran: the id of the API key that
 * authenticated the request (none when the server runs open, without {@code API_KEYS_FILE}) and the
 * client's address as believed ({@code X-Forwarded-For} only from {@code TRUSTED_PROXIES}).
 *
 * @param keyId    the authenticated key's id, or null when authentication is off
 * @param clientIp the client's IP address
 */
public record Caller(String keyId, String clientIp) {
    static final String ATTRIBUTE = "voxgate.caller";

    /** The caller the guard put on this request; the socket's peer when no guard ran (open mode, unit tests). */
    public static Caller of(Context ctx) {
        Caller c = ctx.attribute(ATTRIBUTE);
        return c != null ? c : new Caller(null, ctx.ip());
    }

    /** The caller the guard put on a servlet request (the WebSocket upgrade, before any endpoint exists). */
    public static Caller of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof Caller c ? c : new Caller(null, request.getRemoteAddr());
    }

    /**
     * Whose data this caller may see: its own key's when authenticated; everyone's (no filter) when the
     * server runs open. Jobs are stored with this as their owner.
     */
    public Optional<String> owner() {
        return Optional.ofNullable(keyId);
    }

    /** Who to count for rate limits and session caps: the key, or the address when there is none. */
    public String limitIdentity() {
        return keyId != null ? "key:" + keyId : "ip:" + clientIp;
    }
}
