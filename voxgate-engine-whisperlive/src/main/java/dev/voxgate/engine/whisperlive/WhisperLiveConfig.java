package dev.voxgate.engine.whisperlive;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.engine.remote.RemoteSettings;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code whisperlive} engine's settings, read once from its {@code WHISPERLIVE_} variables.
 *
 * @param url            the server's {@code ws://} or {@code wss://} URL ({@code WHISPERLIVE_URL}, e.g.
 *                       {@code ws://gpu-box:9090}); user info in it ({@code ws://user:pw@host}) is sent as HTTP basic
 *                       auth on the upgrade, for a proxy in front (WhisperLive itself has no auth), and never logged
 * @param model          the {@code model} of the first message ({@code WHISPERLIVE_MODEL}, default {@code small})
 * @param languages      the languages this engine advertises ({@code WHISPERLIVE_LANGUAGES}, default {@code en})
 * @param connectTimeout longest wait for the TCP/TLS connection and the WebSocket upgrade
 * @param replyTimeout   longest wait for each reply the session waits for: {@code SERVER_READY}, the server taking a
 *                       frame of audio, and every message (then the close) after {@code END_OF_AUDIO}
 * @param probeInterval  how often the server is probed (a WebSocket upgrade, closed at once) while nobody uses it
 * @param tailQuiet      at the end of the audio, how long the server may send nothing before {@code END_OF_AUDIO}
 *                       is sent anyway (while its segments have not reached the end of the audio)
 */
public record WhisperLiveConfig(URI url, String model, List<String> languages, Duration connectTimeout,
                                Duration replyTimeout, Duration probeInterval, Duration tailQuiet) {

    public WhisperLiveConfig {
        languages = List.copyOf(languages);
    }

    @Override
    public String toString() { // user info stays out of logs and exception texts
        return "WhisperLiveConfig[url=" + safeUrl() + ", model=" + model + ", auth="
                + (basicAuth().isPresent() ? "(basic)" : "(none)") + "]";
    }

    /** The URL without user info or query, for logs and {@code /api/modules_info}. */
    public String safeUrl() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /** The URL the WebSocket connects to: without user info, with a path ({@code /} when none). */
    public URI endpoint() {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return URI.create(url.getScheme() + "://" + url.getRawAuthority().replaceFirst("^.*@", "") + path
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    }

    /** The {@code Authorization} header value for the URL's user info, if it has some. */
    public Optional<String> basicAuth() {
        String info = url.getRawUserInfo();
        if (info == null || info.isEmpty()) return Optional.empty();
        String plain = URLDecoder.decode(info, StandardCharsets.UTF_8);
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8)));
    }

    static WhisperLiveConfig from(EngineContext context) throws EngineUnavailableException {
        String raw = context.setting("WHISPERLIVE_URL").orElseThrow(() -> new EngineUnavailableException(
                "WHISPERLIVE_URL is not set: set it to the ws:// or wss:// URL of the WhisperLive server, e.g. "
                        + "ws://gpu-box:9090"));
        URI url;
        try {
            url = new URI(raw);
        } catch (URISyntaxException e) {
            throw new EngineUnavailableException("WHISPERLIVE_URL is not a URL (" + e.getReason()
                    + "); expected e.g. ws://gpu-box:9090");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss") || url.getHost() == null) {
            throw new EngineUnavailableException("WHISPERLIVE_URL must be a ws:// or wss:// URL with a host, e.g. "
                    + "ws://gpu-box:9090; got scheme '" + scheme + "'");
        }
        return new WhisperLiveConfig(url, context.setting("WHISPERLIVE_MODEL").orElse("small"),
                RemoteSettings.languages(context, "WHISPERLIVE_LANGUAGES", "en"),
                RemoteSettings.millis(context, "WHISPERLIVE_CONNECT_TIMEOUT_MS", 5000),
                RemoteSettings.millis(context, "WHISPERLIVE_REPLY_TIMEOUT_MS", 15000),
                RemoteSettings.millis(context, "WHISPERLIVE_PROBE_INTERVAL_MS", 5000),
                RemoteSettings.millis(context, "WHISPERLIVE_TAIL_MS", 1500));
    }
}
