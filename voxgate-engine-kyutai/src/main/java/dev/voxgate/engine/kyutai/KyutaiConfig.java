package dev.voxgate.engine.kyutai;

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
 * The {@code kyutai} engine's settings, read once from its {@code KYUTAI_} variables.
 *
 * @param url            moshi-server's streaming ASR WebSocket ({@code KYUTAI_URL}); a URL without a path gets
 *                       {@code /api/asr-streaming}, as Kyutai's scripts add it
 * @param apiKey         sent as the {@code kyutai-api-key} header moshi-server checks; never logged
 *                       ({@code KYUTAI_API_KEY})
 * @param languages      the languages this engine advertises ({@code KYUTAI_LANGUAGES}, default {@code en})
 * @param connectTimeout longest wait for the connection and the WebSocket upgrade; also the probe's timeout
 * @param replyTimeout   longest wait for {@code Ready}, for the socket to take a frame, for any message while audio
 *                       is sent, and for the {@code Marker} after the end of the audio
 * @param probeInterval  how often {@code /api/build_info} is asked
 */
public record KyutaiConfig(URI url, Optional<String> apiKey, List<String> languages, Duration connectTimeout,
                           Duration replyTimeout, Duration probeInterval) {
    static final String ASR_PATH = "/api/asr-streaming";

    public KyutaiConfig {
        languages = List.copyOf(languages);
    }

    @Override
    public String toString() { // the key stays out of logs and exception texts
        return "KyutaiConfig[url=" + safeUrl() + ", apiKey=" + (apiKey.isPresent() ? "(set)" : "(none)") + "]";
    }

    /** The URL without user info or query, for logs and {@code /api/modules_info}. */
    public String safeUrl() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /**
     * What the probe asks: moshi-server's {@code /api/build_info} on the same front (it has no readiness route, and
     * this one needs no key and costs no model step), the ASR path replaced.
     */
    public URI probeUrl() {
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        if (path.endsWith(ASR_PATH)) path = path.substring(0, path.length() - ASR_PATH.length());
        String scheme = url.getScheme().equalsIgnoreCase("wss") ? "https" : "http";
        return URI.create(scheme + "://" + url.getRawAuthority().replaceFirst("^.*@", "") + path + "/api/build_info");
    }

    static KyutaiConfig from(EngineContext context) throws EngineUnavailableException {
        String raw = context.setting("KYUTAI_URL").orElseThrow(() -> new EngineUnavailableException(
                "KYUTAI_URL is not set: set it to moshi-server's streaming ASR WebSocket, e.g. "
                        + "ws://gpu-box:8080/api/asr-streaming"));
        URI url;
        try {
            url = new URI(raw);
        } catch (URISyntaxException e) {
            throw new EngineUnavailableException("KYUTAI_URL is not a URL (" + e.getReason()
                    + "); expected e.g. ws://gpu-box:8080/api/asr-streaming");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss") || url.getHost() == null) {
            throw new EngineUnavailableException("KYUTAI_URL must be a ws:// or wss:// URL with a host, e.g. "
                    + "ws://gpu-box:8080/api/asr-streaming; got scheme '" + scheme + "'");
        }
        if (url.getRawQuery() != null) {
            // moshi-server takes the key as ?auth_id= too; a key in a URL ends up in logs, so it is refused here.
            throw new EngineUnavailableException("KYUTAI_URL must not have a query; set the key with KYUTAI_API_KEY");
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        if (path.isEmpty() || path.equals("/")) url = URI.create(raw.replaceFirst("/?$", "") + ASR_PATH);
        return new KyutaiConfig(url, context.setting("KYUTAI_API_KEY"),
                RemoteSettings.languages(context, "KYUTAI_LANGUAGES", "en"),
                RemoteSettings.millis(context, "KYUTAI_CONNECT_TIMEOUT_MS", 5000),
                RemoteSettings.millis(context, "KYUTAI_REPLY_TIMEOUT_MS", 15000),
                RemoteSettings.millis(context, "KYUTAI_PROBE_INTERVAL_MS", 5000));
    }
}
