package dev.voxgate.server.guard;

import dev.voxgate.server.config.ConfigException;
import dev.voxgate.server.config.SecurityConfig;
import dev.voxgate.server.session.Ticker;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import jakarta.servlet.Filter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The guard's parts, built once from {@link SecurityConfig}: the keys, the WebSocket tokens, the rate limits
 * (in this process or in Redis), the origin and address rules. {@link #filter()} puts them in front of every
 * request; {@link #register} adds {@code POST /api/tokens}.
 */
public final class Guard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Guard.class);
    /** The subprotocol a browser offers first, followed by its key, as {@code new WebSocket(url, ["token", KEY])}. */
    public static final String KEY_SUBPROTOCOL = "token";

    final SecurityConfig config;
    final Optional<ApiKeys> keys;
    final WsTokens tokens;
    final RateLimiter requests;
    final RateLimiter uploads;
    final OriginPolicy origins;
    final ClientAddresses addresses;
    final Optional<BasicAuthUsers> pageUsers;
    private final Optional<RedisState> redis;

    private Guard(SecurityConfig config, Optional<ApiKeys> keys, WsTokens tokens, RateLimiter requests,
                  RateLimiter uploads, Optional<BasicAuthUsers> pageUsers, Optional<RedisState> redis) {
        this.config = config;
        this.keys = keys;
        this.tokens = tokens;
        this.requests = requests;
        this.uploads = uploads;
        this.origins = new OriginPolicy(config.allowedOrigins(), config.publicUrl());
        this.addresses = new ClientAddresses(config.trustedProxies());
        this.pageUsers = pageUsers;
        this.redis = redis;
    }

    /** Reads the key file and connects to Redis now: either failing stops start-up with the reason. */
    public static Guard create(SecurityConfig config, Ticker ticker) {
        Optional<ApiKeys> keys = Optional.empty();
        if (config.apiKeysFile().isPresent()) {
            try {
                keys = Optional.of(ApiKeys.load(config.apiKeysFile().get()));
            } catch (IOException | KeyFileException e) {
                throw new ConfigException("API_KEYS_FILE=" + config.apiKeysFile().get() + " cannot be used: "
                        + e.getMessage());
            }
            if (keys.get().size() == 0) {
                if (config.authRequired()) throw new ConfigException("AUTH_REQUIRED=true but API_KEYS_FILE="
                        + config.apiKeysFile().get() + " holds no key: add one with `voxgate keys create NAME`");
                log.warn("API_KEYS_FILE={} holds no key yet: every API request is refused until one is added",
                        config.apiKeysFile().get());
            }
        } else {
            log.warn("""
                    *** AUTHENTICATION IS OFF: anyone who can reach this port can stream, upload, read and\
                     cancel every job. Set API_KEYS_FILE (make keys with `voxgate keys create NAME --file FILE`)\
                     before exposing it beyond this machine; AUTH_REQUIRED=true makes a missing key file stop\
                     start-up. ***""");
        }
        Optional<BasicAuthUsers> page = config.basicAuthUsers().map(BasicAuthUsers::parse);
        Optional<RedisState> redis = config.redisUrl().map(RedisState::connect);
        WsTokens tokens = redis.<WsTokens>map(r -> new RedisWsTokens(r, config.tokenTtl()))
                .orElseGet(() -> new MemoryWsTokens(config.tokenTtl(), ticker));
        RateLimiter requests = limiter("requests", config.ratePerMinute(), redis, ticker);
        RateLimiter uploads = limiter("uploads", config.uploadsPerMinute(), redis, ticker);
        log.info("guard: auth {}, rate limit {}/min, uploads {}/min, limits {}", keys.isPresent() ? "on" : "OFF",
                config.ratePerMinute(), config.uploadsPerMinute(), redis.isPresent() ? "shared in Redis" : "per node");
        return new Guard(config, keys, tokens, requests, uploads, page, redis);
    }

    private static RateLimiter limiter(String name, int perMinute, Optional<RedisState> redis, Ticker ticker) {
        if (perMinute == 0) return RateLimiter.off(name);
        return redis.map(r -> RateLimiter.shared(name, perMinute, r.buckets()))
                .orElseGet(() -> RateLimiter.local(name, perMinute, ticker));
    }

    public boolean authEnabled() {
        return keys.isPresent();
    }

    /** The servlet filter in front of every route and WebSocket upgrade. */
    public Filter filter() {
        return new GuardFilter(this);
    }

    /** {@code POST /api/tokens}: a single-use token for one WebSocket connect, for the caller's key. */
    public void register(RoutesConfig routes) {
        routes.post("/api/tokens", ctx -> {
            Caller caller = Caller.of(ctx);
            String token = tokens.issue(caller.keyId() == null ? "" : caller.keyId());
            ctx.header("Cache-Control", "no-store");
            ctx.status(HttpStatus.CREATED).json(Map.of("token", token,
                    "expires_in", config.tokenTtl().toSeconds()));
        });
    }

    @Override
    public void close() {
        redis.ifPresent(RedisState::close);
    }
}
