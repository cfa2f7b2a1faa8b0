package dev.voxgate.server.guard;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Short-lived single-use tokens for browser WebSockets ({@code POST /api/tokens}, then {@code ?token=}): a page
 * cannot set headers on a WebSocket, and a long-lived key must never sit in a URL (proxy logs, history). A token
 * stands for the key that asked for it and is gone once used or expired.
 */
interface WsTokens {
    /** A new token for {@code keyId} (empty string for the open server). */
    String issue(String keyId);

    /** The key id the token stood for, if it was current; the token is used up either way. */
    Optional<String> redeem(String token);

    /** 256 random bits, URL-safe, with a prefix that tells it from a key. */
    static String newToken(SecureRandom random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return "vgt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static boolean looksLikeToken(String token) {
        return token != null && token.length() == 47 && token.startsWith("vgt_");
    }
}
