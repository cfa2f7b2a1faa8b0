package dev.voxgate.server.config;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Who may use the server and how much (C9): every setting of the guard in front of the routes. docs/security.md
 * says what each protects against and what it does not.
 *
 * @param apiKeysFile        {@code API_KEYS_FILE}: turns API key authentication on
 * @param authRequired       {@code AUTH_REQUIRED}: refuse to start without keys
 * @param metricsToken       {@code METRICS_TOKEN}: bearer token for {@code /metrics}; without it only loopback
 * @param allowedOrigins     {@code ALLOWED_ORIGINS}: browser origins allowed besides the server's own;
 *                           {@code *} allows any
 * @param ratePerMinute      {@code RATE_LIMIT_PER_MINUTE}: API requests and WebSocket connects per key (per IP
 *                           when auth is off); 0 turns the limit off
 * @param uploadsPerMinute   {@code UPLOADS_PER_MINUTE}: file uploads per key or IP; 0 turns the limit off
 * @param maxSessionsPerKey  {@code MAX_SESSIONS_PER_KEY}: concurrent streams per key (per IP when auth is off)
 * @param redisUrl           {@code REDIS_URL}: shares rate limits and WebSocket tokens between nodes
 * @param trustedProxies     {@code TRUSTED_PROXIES}: peers whose {@code X-Forwarded-For} is believed
 * @param allowedIps         {@code ALLOWED_IPS}: when set, everyone else gets 403
 * @param publicUrl          {@code PUBLIC_URL}: the address users reach; https turns HSTS on
 * @param basicAuthUsers     {@code BASIC_AUTH_USERS}: {@code user:bcrypt-hash} pairs in front of the page
 * @param tokenTtl           {@code WS_TOKEN_TTL_SECONDS}: how long a WebSocket token from {@code POST /api/tokens}
 *                           stays usable
 */
public record SecurityConfig(
        Optional<Path> apiKeysFile,
        boolean authRequired,
        Optional<String> metricsToken,
        List<String> allowedOrigins,
        int ratePerMinute,
        int uploadsPerMinute,
        int maxSessionsPerKey,
        Optional<URI> redisUrl,
        List<IPAddress> trustedProxies,
        List<IPAddress> allowedIps,
        Optional<URI> publicUrl,
        Optional<String> basicAuthUsers,
        Duration tokenTtl) {

    public SecurityConfig {
        allowedOrigins = List.copyOf(allowedOrigins);
        trustedProxies = List.copyOf(trustedProxies);
        allowedIps = List.copyOf(allowedIps);
    }

    /** Open, as a laptop runs it: no keys, default limits. */
    public static SecurityConfig open() {
        return from(Settings.of(Map.of()), 1000);
    }

    static SecurityConfig from(Settings s, int maxSessions) {
        String keys = s.string("API_KEYS_FILE", null);
        boolean required = s.bool("AUTH_REQUIRED", false);
        if (required && keys == null) {
            throw new ConfigException("AUTH_REQUIRED=true but API_KEYS_FILE is not set: make a key file with"
                    + " `voxgate keys create NAME --file FILE` and set API_KEYS_FILE=FILE");
        }
        return new SecurityConfig(
                Optional.ofNullable(keys).map(Path::of),
                required,
                Optional.ofNullable(s.string("METRICS_TOKEN", null)),
                origins(s.string("ALLOWED_ORIGINS", "")),
                s.integer("RATE_LIMIT_PER_MINUTE", 120, 0, 1_000_000),
                s.integer("UPLOADS_PER_MINUTE", 10, 0, 1_000_000),
                s.integer("MAX_SESSIONS_PER_KEY", maxSessions, 1, 100_000),
                Optional.ofNullable(s.string("REDIS_URL", null)).map(v -> uri("REDIS_URL", v, "redis", "rediss")),
                cidrs(s, "TRUSTED_PROXIES"),
                cidrs(s, "ALLOWED_IPS"),
                Optional.ofNullable(s.string("PUBLIC_URL", null)).map(v -> uri("PUBLIC_URL", v, "http", "https")),
                Optional.ofNullable(s.string("BASIC_AUTH_USERS", null)),
                Duration.ofSeconds(s.integer("WS_TOKEN_TTL_SECONDS", 60, 5, 3600)));
    }

    public boolean authEnabled() {
        return apiKeysFile.isPresent();
    }

    public boolean httpsPublicUrl() {
        return publicUrl.map(u -> "https".equals(u.getScheme())).orElse(false);
    }

    private static List<String> origins(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String o = part.strip();
            if (o.isEmpty()) continue;
            if (o.equals("*")) {
                out.add(o);
                continue;
            }
            URI u = uri("ALLOWED_ORIGINS", o, "http", "https");
            if (u.getRawPath() != null && !u.getRawPath().isEmpty() || u.getRawQuery() != null) {
                throw new ConfigException("ALLOWED_ORIGINS: " + o + " is not an origin (scheme://host[:port], no"
                        + " path)");
            }
            out.add(o.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private static URI uri(String name, String value, String... schemes) {
        try {
            URI u = new URI(value.strip());
            if (u.getScheme() == null || u.getHost() == null
                    || !List.of(schemes).contains(u.getScheme().toLowerCase(Locale.ROOT))) {
                throw new ConfigException(name + "=" + value + " is not a " + String.join(" or ", schemes) + " URL");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new ConfigException(name + "=" + value + " is not a URL: " + e.getMessage());
        }
    }

    private static List<IPAddress> cidrs(Settings s, String name) {
        List<IPAddress> out = new ArrayList<>();
        for (String part : s.string(name, "").split(",")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            try {
                out.add(new IPAddressString(p).toAddress().toPrefixBlock());
            } catch (AddressStringException e) {
                throw new ConfigException(name + ": " + p + " is not an IP address or CIDR range (e.g. 10.0.0.0/8,"
                        + " ::1)");
            }
        }
        return out;
    }
}
