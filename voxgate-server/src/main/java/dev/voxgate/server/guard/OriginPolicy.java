package dev.voxgate.server.guard;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may talk to the server: its own (the {@code Host} the request was sent to, and
 * {@code PUBLIC_URL}'s), plus {@code ALLOWED_ORIGINS}. A request without {@code Origin} is not from a web page's
 * script (curl, SDKs, apps) and is not judged here; {@code Origin: null} (sandboxed frames, file pages) is foreign.
 */
final class OriginPolicy {
    private final boolean any;
    private final Set<String> listed;
    private final Optional<String> publicOrigin;

    OriginPolicy(List<String> allowedOrigins, Optional<URI> publicUrl) {
        this.any = allowedOrigins.contains("*");
        this.listed = allowedOrigins.stream().filter(o -> !o.equals("*")).map(OriginPolicy::normalise)
                .flatMap(Optional::stream).collect(Collectors.toUnmodifiableSet());
        this.publicOrigin = publicUrl.flatMap(u -> normalise(u.getScheme() + "://" + u.getRawAuthority()));
    }

    /** Whether a page from {@code origin} may use the server reached at {@code host} (the Host header). */
    boolean allows(String origin, String host) {
        Optional<String> o = normalise(origin);
        if (o.isEmpty()) return false;
        return any || listed.contains(o.get()) || o.equals(publicOrigin) || sameOrigin(o.get(), host);
    }

    /** Whether to send CORS headers to {@code origin}: only to origins named in {@code ALLOWED_ORIGINS}. */
    boolean corsAllowed(String origin) {
        Optional<String> o = normalise(origin);
        return o.isPresent() && (any || listed.contains(o.get()) || o.equals(publicOrigin));
    }

    /**
     * Same origin by authority: the scheme a proxy terminated TLS for is not visible here, so the host and port the
     * browser used (Origin) are compared with the Host header it sent to the same place.
     */
    private static boolean sameOrigin(String origin, String host) {
        if (host == null || host.isBlank()) return false;
        String authority = origin.substring(origin.indexOf("://") + 3);
        return authority.equals(stripDefaultPort(host.strip().toLowerCase(Locale.ROOT)));
    }

    /** {@code scheme://host[:port]} in lower case, the scheme's default port left out; empty when not an origin. */
    static Optional<String> normalise(String origin) {
        if (origin == null || origin.length() > 512) return Optional.empty();
        try {
            URI u = new URI(origin.strip());
            String scheme = u.getScheme();
            if (scheme == null || u.getHost() == null || u.getRawUserInfo() != null) return Optional.empty();
            scheme = scheme.toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) return Optional.empty();
            String path = u.getRawPath();
            if (path != null && !path.isEmpty() && !path.equals("/") || u.getRawQuery() != null) {
                return Optional.empty();
            }
            int port = u.getPort();
            boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https")
                    && port == 443;
            String host = u.getHost().toLowerCase(Locale.ROOT);
            return Optional.of(scheme + "://" + host + (defaultPort ? "" : ":" + port));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String stripDefaultPort(String host) {
        if (host.endsWith(":80")) return host.substring(0, host.length() - 3);
        if (host.endsWith(":443")) return host.substring(0, host.length() - 4);
        return host;
    }
}
