package dev.voxgate.engine.upstream;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.engine.remote.RemoteSettings;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code upstream} engine's settings, read once from its {@code UPSTREAM_} variables.
 *
 * @param url            the remote's {@code ws://} or {@code wss://} {@code /v1/listen} URL ({@code UPSTREAM_URL})
 * @param apiKey         sent as {@code Authorization: Bearer}; never logged ({@code UPSTREAM_API_KEY})
 * @param remoteEngine   the engine to ask the remote for, or empty for the remote's default ({@code UPSTREAM_ENGINE})
 * @param languages      the languages this engine advertises ({@code UPSTREAM_LANGUAGES}, default {@code en})
 * @param connectTimeout longest wait for the TCP/TLS connection and the WebSocket upgrade
 * @param replyTimeout   longest wait for each reply the session waits for: {@code ready} after the upgrade, every
 *                       message after {@code end_stream}, and the remote taking a frame of audio
 * @param probeInterval  how often the remote's {@code /ready} is asked while nobody uses it
 */
public record UpstreamConfig(URI url, Optional<String> apiKey, Optional<String> remoteEngine, List<String> languages,
                             Duration connectTimeout, Duration replyTimeout, Duration probeInterval) {

    public UpstreamConfig {
        languages = List.copyOf(languages);
    }

    @Override
    public String toString() { // the key stays out of logs and exception texts
        return "UpstreamConfig[url=" + safeUrl() + ", apiKey=" + (apiKey.isPresent() ? "(set)" : "(none)")
                + ", remoteEngine=" + remoteEngine.orElse("(remote's default)") + "]";
    }

    /** The URL without user info or query, for logs and {@code /api/modules_info}. */
    public String safeUrl() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /** The remote's {@code /ready}: the same host, with the {@code /v1/listen} (or {@code /api/asr}) path replaced. */
    public URI readyUrl() {
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        for (String suffix : List.of("/v1/listen", "/api/asr")) {
            if (path.endsWith(suffix)) {
                path = path.substring(0, path.length() - suffix.length());
                break;
            }
        }
        String scheme = url.getScheme().equalsIgnoreCase("wss") ? "https" : "http";
        return URI.create(scheme + "://" + url.getRawAuthority().replaceFirst("^.*@", "") + path + "/ready");
    }

    static UpstreamConfig from(EngineContext context) throws EngineUnavailableException {
        String raw = context.setting("UPSTREAM_URL").orElseThrow(() -> new EngineUnavailableException(
                "UPSTREAM_URL is not set: set it to the ws:// or wss:// /v1/listen URL of the Voxgate to forward to"));
        URI url;
        try {
            url = new URI(raw);
        } catch (URISyntaxException e) {
            throw new EngineUnavailableException("UPSTREAM_URL is not a URL (" + e.getReason()
                    + "); expected e.g. ws://gpu-box:8080/v1/listen");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss") || url.getHost() == null) {
            throw new EngineUnavailableException("UPSTREAM_URL must be a ws:// or wss:// URL with a host, e.g. "
                    + "ws://gpu-box:8080/v1/listen; got scheme '" + scheme + "'");
        }
        List<String> languages = RemoteSettings.languages(context, "UPSTREAM_LANGUAGES", "en");
        return new UpstreamConfig(url, context.setting("UPSTREAM_API_KEY"), context.setting("UPSTREAM_ENGINE"),
                languages,
                RemoteSettings.millis(context, "UPSTREAM_CONNECT_TIMEOUT_MS", 5000),
                RemoteSettings.millis(context, "UPSTREAM_REPLY_TIMEOUT_MS", 15000),
                RemoteSettings.millis(context, "UPSTREAM_PROBE_INTERVAL_MS", 5000));
    }
}
