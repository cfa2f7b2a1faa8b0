package dev.voxgate.server.guard;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * WebSocket tokens in Redis, so a token from one node opens a stream on another behind the same load balancer.
 * Only the token's hash is stored; {@code GETDEL} makes using it up atomic across nodes.
 */
final class RedisWsTokens implements WsTokens {
    private final RedisCommands<String, byte[]> redis;
    private final Duration ttl;
    private final SecureRandom random = new SecureRandom();

    RedisWsTokens(RedisState state, Duration ttl) {
        this.redis = state.connection().sync();
        this.ttl = ttl;
    }

    @Override
    public String issue(String keyId) {
        String token = WsTokens.newToken(random);
        redis.set(key(token), keyId.getBytes(StandardCharsets.UTF_8), SetArgs.Builder.px(ttl.toMillis()));
        return token;
    }

    @Override
    public Optional<String> redeem(String token) {
        if (!WsTokens.looksLikeToken(token)) return Optional.empty();
        byte[] keyId = redis.getdel(key(token));
        return keyId == null ? Optional.empty() : Optional.of(new String(keyId, StandardCharsets.UTF_8));
    }

    private static String key(String token) {
        return "voxgate:wstoken:" + HexFormat.of().formatHex(ApiKeyFile.hash(token));
    }
}
