package dev.voxgate.engine.aws;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.engine.remote.RemoteSettings;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.transcribestreaming.model.PartialResultsStability;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code aws-transcribe} engine's settings, read once. Credentials are not among them: the SDK's default chain
 * finds them (environment, system properties, web identity, profile, container or instance role).
 *
 * @param region         {@code AWS_REGION}: the region whose Transcribe is used, and the region requests are signed for
 * @param endpoint       {@code AWS_TRANSCRIBE_ENDPOINT}: instead of the region's public endpoint (a VPC endpoint, a
 *                       test server); {@code http://} speaks HTTP/2 without TLS (prior knowledge), as the SDK does
 * @param languages      the Voxgate language tags this engine takes ({@code AWS_TRANSCRIBE_LANGUAGES})
 * @param languageCodes  Voxgate tag (lower case) → Transcribe {@code LanguageCode}: the defaults, overridden by
 *                       {@code AWS_TRANSCRIBE_LANGUAGE_CODES} ({@code en=en-GB,de=de-CH})
 * @param stability      how stable partials must be ({@code AWS_TRANSCRIBE_PARTIAL_STABILITY}: low, medium, high)
 * @param connectTimeout longest wait for the connection; also the probe's connect timeout
 * @param replyTimeout   longest wait for Transcribe to accept the stream, to take a frame of audio, and for each event
 *                       after the end of the audio
 * @param probeInterval  how often the credentials and the endpoint are checked
 */
public record AwsTranscribeConfig(Region region, Optional<URI> endpoint, List<String> languages,
                                  Map<String, String> languageCodes, PartialResultsStability stability,
                                  Duration connectTimeout, Duration replyTimeout, Duration probeInterval) {

    /** Voxgate's tags without a region, mapped to the variant Transcribe's streaming API knows best. */
    static final Map<String, String> DEFAULT_CODES = Map.ofEntries(Map.entry("en", "en-US"),
            Map.entry("de", "de-DE"), Map.entry("fr", "fr-FR"), Map.entry("es", "es-US"), Map.entry("it", "it-IT"),
            Map.entry("pt", "pt-BR"), Map.entry("nl", "nl-NL"), Map.entry("ja", "ja-JP"), Map.entry("ko", "ko-KR"),
            Map.entry("zh", "zh-CN"), Map.entry("hi", "hi-IN"), Map.entry("ar", "ar-SA"), Map.entry("ru", "ru-RU"));

    public AwsTranscribeConfig {
        languages = List.copyOf(languages);
        languageCodes = Map.copyOf(languageCodes);
    }

    /** Where streams go, for logs, messages and {@code /api/modules_info}. */
    public String safeEndpoint() {
        return endpoint.map(URI::toString).orElse("https://transcribestreaming." + region.id() + ".amazonaws.com");
    }

    /**
     * Transcribe's {@code LanguageCode} for a session's language: the configured mapping of the tag, then of its
     * primary language; a tag with a region ({@code en-GB}) is Transcribe's own form and passes as it is.
     *
     * @param language the session's tag, or null for the first configured language
     */
    public String languageCode(String language) {
        String tag = (language == null || language.isBlank() ? languages.getFirst() : language).strip()
                .replace('_', '-').toLowerCase(Locale.ROOT);
        String mapped = languageCodes.get(tag);
        if (mapped != null) return mapped;
        String[] parts = tag.split("-");
        if (parts.length == 2) return parts[0] + "-" + parts[1].toUpperCase(Locale.ROOT);
        return languageCodes.getOrDefault(parts[0], parts[0]);
    }

    static AwsTranscribeConfig from(EngineContext context) throws EngineUnavailableException {
        String region = context.setting("AWS_REGION").orElseThrow(() -> new EngineUnavailableException(
                "AWS_REGION is not set: set it to the region whose Amazon Transcribe to use, e.g. us-east-1"));
        Optional<URI> endpoint = Optional.empty();
        Optional<String> raw = context.setting("AWS_TRANSCRIBE_ENDPOINT");
        if (raw.isPresent()) {
            try {
                URI uri = new URI(raw.get());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                    throw new EngineUnavailableException("AWS_TRANSCRIBE_ENDPOINT must be an http:// or https:// URL "
                            + "with a host, e.g. https://vpce-0123.transcribestreaming.us-east-1.vpce.amazonaws.com; "
                            + "got scheme '" + scheme + "'");
                }
                endpoint = Optional.of(uri);
            } catch (URISyntaxException e) {
                throw new EngineUnavailableException("AWS_TRANSCRIBE_ENDPOINT is not a URL (" + e.getReason() + ")");
            }
        }
        Map<String, String> codes = new HashMap<>(DEFAULT_CODES);
        for (String pair : RemoteSettings.languages(context, "AWS_TRANSCRIBE_LANGUAGE_CODES", "")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw new EngineUnavailableException("AWS_TRANSCRIBE_LANGUAGE_CODES takes tag=LanguageCode pairs, "
                        + "comma-separated (e.g. en=en-GB,de=de-CH); got '" + pair + "'");
            }
            codes.put(kv[0].strip().toLowerCase(Locale.ROOT), kv[1].strip());
        }
        String stability = context.setting("AWS_TRANSCRIBE_PARTIAL_STABILITY").orElse("high");
        PartialResultsStability s = PartialResultsStability.fromValue(stability.toLowerCase(Locale.ROOT));
        if (s == PartialResultsStability.UNKNOWN_TO_SDK_VERSION) {
            throw new EngineUnavailableException("AWS_TRANSCRIBE_PARTIAL_STABILITY must be low, medium or high; got '"
                    + stability + "'");
        }
        return new AwsTranscribeConfig(Region.of(region), endpoint,
                RemoteSettings.languages(context, "AWS_TRANSCRIBE_LANGUAGES", "en"), codes, s,
                RemoteSettings.millis(context, "AWS_TRANSCRIBE_CONNECT_TIMEOUT_MS", 5000),
                RemoteSettings.millis(context, "AWS_TRANSCRIBE_REPLY_TIMEOUT_MS", 15000),
                RemoteSettings.millis(context, "AWS_TRANSCRIBE_PROBE_INTERVAL_MS", 30000));
    }
}
