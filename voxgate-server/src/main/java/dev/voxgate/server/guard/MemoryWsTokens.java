package dev.voxgate.server.guard;

import dev.voxgate.server.session.Ticker;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** WebSocket tokens of one node, held in memory until used or expired. */
final class MemoryWsTokens implements WsTokens {
    /** Beyond this many live tokens a caller is misusing the route; older ones are dropped first by expiry. */
    private static final int MAX_LIVE = 100_000;
    private final Map<String, Issued> live = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Ticker ticker;
    private final SecureRandom random = new SecureRandom();

    private record Issued(String keyId, long expiresNanos) {
    }

    MemoryWsTokens(Duration ttl, Ticker ticker) {
        this.ttl = ttl;
        this.ticker = ticker;
    }

    @Override
    public String issue(String keyId) {
        long now = ticker.nanos();
        if (live.size() >= MAX_LIVE) live.values().removeIf(i -> i.expiresNanos() <= now);
        if (live.size() >= MAX_LIVE) throw new IllegalStateException("too many live WebSocket tokens");
        String token = WsTokens.newToken(random);
        live.put(token, new Issued(keyId, now + ttl.toNanos()));
        return token;
    }

    @Override
    public Optional<String> redeem(String token) {
        if (!WsTokens.looksLikeToken(token)) return Optional.empty();
        Issued issued = live.remove(token);
        if (issued == null || issued.expiresNanos() - ticker.nanos() <= 0) return Optional.empty();
        return Optional.of(issued.keyId());
    }
}
