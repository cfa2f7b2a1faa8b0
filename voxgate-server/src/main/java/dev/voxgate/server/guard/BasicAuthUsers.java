package dev.voxgate.server.guard;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.voxgate.server.config.ConfigException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code BASIC_AUTH_USERS}: {@code user:bcrypt-hash} pairs, comma-separated, in front of the browser page (what
 * {@code caddy hash-password} and {@code htpasswd -nbB} print). Only the page: the API has its keys.
 */
final class BasicAuthUsers {
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12]\\d|3[01])\\$[./A-Za-z0-9]{53}");
    /** A wrong user costs a bcrypt check too, so a user name cannot be told from its timing. */
    private final byte[] decoy;
    private final Map<String, byte[]> users;

    private BasicAuthUsers(Map<String, byte[]> users) {
        this.users = users;
        byte[] cost = users.values().iterator().next();
        int rounds = Integer.parseInt(new String(cost, 4, 2, StandardCharsets.US_ASCII));
        this.decoy = BCrypt.withDefaults().hash(rounds, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    }

    static BasicAuthUsers parse(String value) {
        Map<String, byte[]> users = new LinkedHashMap<>();
        for (String pair : value.split(",")) {
            String p = pair.strip();
            if (p.isEmpty()) continue;
            int colon = p.indexOf(':');
            String user = colon > 0 ? p.substring(0, colon) : "";
            String hash = colon > 0 ? p.substring(colon + 1) : "";
            if (user.isEmpty() || !BCRYPT.matcher(hash).matches()) {
                throw new ConfigException("BASIC_AUTH_USERS: each entry is user:bcrypt-hash (e.g. from `caddy"
                        + " hash-password`), comma-separated; entry " + (users.size() + 1) + " is not");
            }
            users.put(user, hash.getBytes(StandardCharsets.US_ASCII));
        }
        if (users.isEmpty()) throw new ConfigException("BASIC_AUTH_USERS is set but names no user");
        return new BasicAuthUsers(Map.copyOf(users));
    }

    /** Whether an {@code Authorization: Basic …} header names a user with the right password. */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) return false;
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) return false;
        byte[] hash = users.get(decoded.substring(0, colon));
        byte[] password = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        if (password.length > 72) return false; // bcrypt reads no further; refuse rather than truncate silently
        boolean ok = BCrypt.verifyer().verify(password, hash != null ? hash : decoy).verified;
        return ok && hash != null;
    }
}
