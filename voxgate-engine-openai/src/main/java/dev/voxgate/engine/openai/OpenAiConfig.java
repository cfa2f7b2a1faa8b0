package dev.voxgate.engine.openai;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.engine.remote.RemoteSettings;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code openai} engine's settings, from its {@code OPENAI_} variables.
 *
 * @param baseUrl        {@code OPENAI_BASE_URL}, default {@code https://api.openai.com/v1}; no trailing slash
 * @param apiKey         {@code OPENAI_API_KEY}, sent as {@code Authorization: Bearer}; never logged
 * @param model          {@code OPENAI_MODEL}, default {@code whisper-1}
 * @param languages      {@code OPENAI_LANGUAGES}: what the engine advertises, default {@code en}
 * @param connectTimeout {@code OPENAI_CONNECT_TIMEOUT_MS}, default 5000
 * @param replyTimeout   {@code OPENAI_REPLY_TIMEOUT_MS}: longest wait for one utterance's transcript, default 30000
 * @param probeInterval  {@code OPENAI_PROBE_INTERVAL_MS}: how often {@code GET {base}/models} is asked, default 30000
 */
public record OpenAiConfig(URI baseUrl, Optional<String> apiKey, String model, List<String> languages,
                           Duration connectTimeout, Duration replyTimeout, Duration probeInterval) {
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    public OpenAiConfig {
        languages = List.copyOf(languages);
    }

    @Override
    public String toString() { // the key stays out of logs
        return "OpenAiConfig[baseUrl=" + safeUrl() + ", apiKey=" + (apiKey.isPresent() ? "(set)" : "(none)")
                + ", model=" + model + "]";
    }

    /** The base URL without user info or query, for logs and {@code /api/modules_info}. */
    public String safeUrl() {
        return baseUrl.getScheme() + "://" + baseUrl.getHost() + (baseUrl.getPort() < 0 ? "" : ":" + baseUrl.getPort())
                + (baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath());
    }

    URI transcriptions() {
        return URI.create(baseUrl + "/audio/transcriptions");
    }

    URI models() {
        return URI.create(baseUrl + "/models");
    }

    static OpenAiConfig from(EngineContext context) throws EngineUnavailableException {
        String raw = context.setting("OPENAI_BASE_URL").orElse(DEFAULT_BASE_URL);
        while (raw.endsWith("/")) raw = raw.substring(0, raw.length() - 1);
        URI base;
        try {
            base = URI.create(raw);
        } catch (IllegalArgumentException e) {
            throw new EngineUnavailableException("OPENAI_BASE_URL is not a URL; expected e.g. "
                    + "https://api.openai.com/v1 or http://whisper-box:8080/v1");
        }
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || base.getHost() == null) {
            throw new EngineUnavailableException("OPENAI_BASE_URL must be an http:// or https:// URL with a host, "
                    + "e.g. https://api.openai.com/v1; got scheme '" + scheme + "'");
        }
        Optional<String> key = context.setting("OPENAI_API_KEY");
        if (key.isEmpty() && raw.equals(DEFAULT_BASE_URL)) {
            throw new EngineUnavailableException("OPENAI_API_KEY is not set: OpenAI's API needs a key (or point "
                    + "OPENAI_BASE_URL at an OpenAI-compatible server that needs none)");
        }
        return new OpenAiConfig(base, key, context.setting("OPENAI_MODEL").orElse("whisper-1"),
                RemoteSettings.languages(context, "OPENAI_LANGUAGES", "en"),
                RemoteSettings.millis(context, "OPENAI_CONNECT_TIMEOUT_MS", 5000),
                RemoteSettings.millis(context, "OPENAI_REPLY_TIMEOUT_MS", 30000),
                RemoteSettings.millis(context, "OPENAI_PROBE_INTERVAL_MS", 30000));
    }
}
