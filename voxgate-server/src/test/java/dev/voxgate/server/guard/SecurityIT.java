package dev.voxgate.server.guard;

import at.favre.lib.crypto.bcrypt.BCrypt;
import ch.qos.logback.classic.Logger;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.UnauthorizedException;
import com.openai.models.audio.AudioModel;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.audio.WavWriter;
import dev.voxgate.server.Multipart;
import dev.voxgate.server.ServerComponents;
import dev.voxgate.server.TestEngines;
import dev.voxgate.server.TestServer;
import dev.voxgate.server.WsClient;
import dev.voxgate.server.config.ConfigException;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.testkit.FakeEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The guard on a real server: keys (header, subprotocol, token), origins, rate limits, client addresses, the IP
 * allow-list, /metrics, headers, per-key data and session caps; and no key ever in a log line.
 */
@Timeout(120)
class SecurityIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
    private static final List<String> EVERY_KEY = new ArrayList<>();

    @BeforeAll
    static void captureLogs() {
        LOG.start();
        root().addAppender(LOG);
    }

    /** The whole run's log, every logger, every level: no key and no token anywhere. */
    @AfterAll
    static void noKeyInAnyLogLine() {
        root().detachAppender(LOG);
        List<String> lines = logged().stream().map(e -> e.getFormattedMessage() + " " + e.getMDCPropertyMap()
                + (e.getThrowableProxy() != null ? e.getThrowableProxy().getMessage() : "")).toList();
        assertThat(lines).as("captured log").isNotEmpty();
        assertThat(EVERY_KEY).isNotEmpty();
        for (String key : EVERY_KEY) {
            String secret = key.substring("vg_01234567_".length()); // the secret may itself hold "_"
            assertThat(lines).noneMatch(l -> l.contains(secret));
        }
        assertThat(lines).noneMatch(l -> l.contains("vgt_"));
    }

    /** What was logged so far; the appender is written from server threads, under its own lock. */
    private static List<ILoggingEvent> logged() {
        synchronized (LOG) {
            return new ArrayList<>(LOG.list);
        }
    }

    /** What was logged since {@code from} (a size of {@link #logged()} taken before). */
    private static List<ILoggingEvent> loggedSince(int from) {
        List<ILoggingEvent> all = logged();
        return all.subList(Math.min(from, all.size()), all.size());
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    }

    private static GuardKeys keys(String... names) {
        GuardKeys k = GuardKeys.create(names);
        EVERY_KEY.addAll(k.allKeys());
        return k;
    }

    private static TestServer server(Map<String, String> settings) {
        return TestServer.streaming(settings, FakeEngine.builder("fake").build());
    }

    private static Map<String, String> auth(GuardKeys k, String... more) {
        Map<String, String> m = new HashMap<>(Map.of("API_KEYS_FILE", k.file().toString()));
        for (int i = 0; i < more.length; i += 2) m.put(more[i], more[i + 1]);
        return m;
    }

    private static HttpResponse<String> send(TestServer s, String method, String path, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.http(path)).method(method,
                HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) b.headers(headers);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(TestServer s, String path, String... headers) throws Exception {
        return send(s, "GET", path, headers);
    }

    private static JsonNode error(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).path("error");
    }

    /** The HTTP status a refused WebSocket upgrade answered with. */
    private static int refusedUpgrade(URI uri, Map<String, String> headers, String... subprotocols) {
        Throwable t = catchThrowable(() -> WsClient.connect(uri, headers,
                subprotocols).close());
        assertThat(t).as("the upgrade to " + uri.getPath() + " was accepted").isNotNull();
        while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
        assertThat(t).isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) t).getResponse().statusCode();
    }

    private static void streamsOk(WsClient c) {
        assertThat(c.awaitType("ready").path("type").asText()).isEqualTo("ready");
        finishes(c);
    }

    private static void finishes(WsClient c) {
        c.sendBinary(new byte[6400]);
        c.endStream();
        assertThat(c.awaitClose().close().code()).isEqualTo(1000);
    }

    @Test
    void httpRoutesNeedAKeyAndProbesAndThePageDoNot() throws Exception {
        GuardKeys k = keys("alice");
        try (TestServer s = server(auth(k))) {
            HttpResponse<String> none = get(s, "/api/modules_info");
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(error(none).path("code").asText()).isEqualTo("unauthorized");
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("Bearer"));
            HttpResponse<String> openAi = get(s, "/v1/models");
            assertThat(openAi.statusCode()).isEqualTo(401);
            assertThat(error(openAi).path("type").asText()).as("OpenAI's shape").isEqualTo("invalid_request_error");
            assertThat(get(s, "/api/modules_info", "Authorization", "Bearer vg_0123abcd_" + "A".repeat(43))
                    .statusCode()).isEqualTo(401);
            assertThat(get(s, "/api/modules_info", "Authorization", "Bearer " + k.key("alice")).statusCode())
                    .isEqualTo(200);
            assertThat(get(s, "/api/modules_info", "X-API-Key", k.key("alice")).statusCode()).isEqualTo(200);
            assertThat(get(s, "/v1/models", "Authorization", "Bearer " + k.key("alice")).statusCode()).isEqualTo(200);
            assertThat(get(s, "/health").statusCode()).isEqualTo(200);
            assertThat(get(s, "/ready").statusCode()).isEqualTo(200);
            assertThat(get(s, "/").statusCode()).isEqualTo(200);
            assertThat(get(s, "/%61pi/modules_info").statusCode()).as("an encoded path is no way round")
                    .isNotEqualTo(200);
            assertThat(send(s, "POST", "/api/tokens").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aRevokedKeyIsRefusedWithoutARestart() throws Exception {
        GuardKeys k = keys("alice", "bob");
        try (TestServer s = server(auth(k))) {
            assertThat(get(s, "/api/modules_info", "X-API-Key", k.key("bob")).statusCode()).isEqualTo(200);
            String bob = k.key("bob");
            k.revoke("bob");
            assertThat(get(s, "/api/modules_info", "X-API-Key", bob).statusCode()).isEqualTo(401);
            assertThat(refusedUpgrade(s.ws("/v1/listen"), Map.of("Authorization", "Bearer " + bob))).isEqualTo(401);
            assertThat(get(s, "/api/modules_info", "X-API-Key", k.key("alice")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void webSocketsTakeAHeaderTheKeySubprotocolOrASingleUseToken() throws Exception {
        GuardKeys k = keys("alice");
        try (TestServer s = server(auth(k))) {
            URI listen = s.ws("/v1/listen?sample_rate=16000");
            assertThat(refusedUpgrade(listen, Map.of())).isEqualTo(401);
            assertThat(refusedUpgrade(s.ws("/api/asr"), Map.of())).isEqualTo(401);
            try (WsClient c = WsClient.connect(listen, Map.of("Authorization", "Bearer " + k.key("alice")))) {
                streamsOk(c);
            }
            try (WsClient c = WsClient.connect(listen, Map.of("X-API-Key", k.key("alice")))) {
                streamsOk(c);
            }
            try (WsClient c = WsClient.connect(listen, Map.of(), "token", k.key("alice"))) {
                assertThat(c.subprotocol()).as("the browser needs its protocol echoed").isEqualTo("token");
                streamsOk(c);
            }
            assertThat(refusedUpgrade(listen, Map.of(), "token", "vg_0123abcd_" + "B".repeat(43))).isEqualTo(401);

            HttpResponse<String> issued = send(s, "POST", "/api/tokens", "Authorization", "Bearer "
                    + k.key("alice"));
            assertThat(issued.statusCode()).isEqualTo(201);
            assertThat(issued.headers().firstValue("Cache-Control")).contains("no-store");
            String token = JSON.readTree(issued.body()).path("token").asText();
            assertThat(JSON.readTree(issued.body()).path("expires_in").asInt()).isEqualTo(60);
            try (WsClient c = WsClient.connect(s.ws("/v1/listen?sample_rate=16000&token=" + token), Map.of())) {
                streamsOk(c);
            }
            assertThat(refusedUpgrade(s.ws("/v1/listen?token=" + token), Map.of())).as("replayed").isEqualTo(401);
            assertThat(get(s, "/api/modules_info?token=" + token).statusCode()).as("tokens are for WebSockets")
                    .isEqualTo(401);
        }
    }

    @Test
    void aTokenExpires() throws Exception {
        GuardKeys k = keys("alice");
        AtomicLong now = new AtomicLong(System.nanoTime());
        try (TestServer s = TestServer.start(auth(k, "WS_TOKEN_TTL_SECONDS", "30"),
                EngineRegistry.of("fake", List.of(FakeEngine.builder("fake").build())),
                ServerComponents.Jobs.WITHOUT_JOBS, now::get)) {
            String token = JSON.readTree(send(s, "POST", "/api/tokens", "X-API-Key", k.key("alice")).body())
                    .path("token").asText();
            now.addAndGet(TimeUnit.SECONDS.toNanos(31));
            assertThat(refusedUpgrade(s.ws("/v1/listen?token=" + token), Map.of())).isEqualTo(401);
        }
    }

    @Test
    void foreignOriginsCannotUpgradeOrChangeStateEvenWithAuthOff() throws Exception {
        try (TestServer s = TestServer.start(Map.of("ALLOWED_ORIGINS", "https://app.example"),
                FakeEngine.builder("fake").build())) {
            String self = "http://127.0.0.1:" + s.server().port();
            assertThat(refusedUpgrade(s.ws("/v1/listen"), Map.of("Origin", "https://evil.example"))).isEqualTo(403);
            try (WsClient c = WsClient.connect(s.ws("/v1/listen"), Map.of("Origin", self))) {
                streamsOk(c);
            }
            try (WsClient c = WsClient.connect(s.ws("/v1/listen"), Map.of("Origin", "https://app.example"))) {
                streamsOk(c);
            }
            HttpResponse<String> upload = HTTP.send(new Multipart().file("file", "a.wav", silenceWav())
                    .post(s.http("/api/jobs"), "Origin", "https://evil.example"), HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).isEqualTo(403);
            assertThat(error(upload).path("code").asText()).isEqualTo("origin_not_allowed");
            assertThat(send(s, "DELETE", "/api/jobs/x", "Origin", "null").statusCode()).isEqualTo(403);

            HttpResponse<String> foreignRead = get(s, "/api/jobs", "Origin", "https://evil.example");
            assertThat(foreignRead.statusCode()).isEqualTo(200);
            assertThat(foreignRead.headers().firstValue("Access-Control-Allow-Origin")).as("no CORS for strangers")
                    .isEmpty();
            HttpResponse<String> allowedRead = get(s, "/api/jobs", "Origin", "https://app.example");
            assertThat(allowedRead.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example");

            HttpResponse<String> preflight = send(s, "OPTIONS", "/api/jobs", "Origin", "https://app.example",
                    "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization");
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(v ->
                    assertThat(v).contains("Authorization"));
            assertThat(send(s, "OPTIONS", "/api/jobs", "Origin", "https://evil.example",
                    "Access-Control-Request-Method", "POST").statusCode()).isEqualTo(403);
        }
    }

    @Test
    void overTheRateLimitIs429WithRetryAfterForHttpAndWebSockets() throws Exception {
        GuardKeys k = keys("alice", "bob");
        try (TestServer s = server(auth(k, "RATE_LIMIT_PER_MINUTE", "3"))) {
            for (int i = 0; i < 3; i++) {
                assertThat(get(s, "/api/modules_info", "X-API-Key", k.key("alice")).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> over = get(s, "/api/modules_info", "X-API-Key", k.key("alice"));
            assertThat(over.statusCode()).isEqualTo(429);
            assertThat(error(over).path("code").asText()).isEqualTo("rate_limited");
            assertThat(Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
            assertThat(refusedUpgrade(s.ws("/v1/listen"), Map.of("X-API-Key", k.key("alice")))).isEqualTo(429);
            assertThat(get(s, "/api/modules_info", "X-API-Key", k.key("bob")).statusCode()).as("per key")
                    .isEqualTo(200);
            assertThat(get(s, "/health").statusCode()).as("probes are not limited").isEqualTo(200);
        }
    }

    @Test
    void uploadsHaveTheirOwnLimit() throws Exception {
        try (TestServer s = TestServer.start(Map.of("UPLOADS_PER_MINUTE", "1"), FakeEngine.builder("fake").build())) {
            HttpResponse<String> first = HTTP.send(new Multipart().file("file", "a.wav", silenceWav())
                    .post(s.http("/api/jobs")), HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(201);
            HttpResponse<String> second = HTTP.send(new Multipart().file("file", "a.wav", silenceWav())
                    .post(s.http("/v1/audio/transcriptions")), HttpResponse.BodyHandlers.ofString());
            assertThat(second.statusCode()).isEqualTo(429);
            assertThat(error(second).path("message").asText()).contains("UPLOADS_PER_MINUTE");
            assertThat(get(s, "/api/jobs").statusCode()).as("other requests go on").isEqualTo(200);
        }
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedProxies() throws Exception {
        try (TestServer s = server(Map.of("RATE_LIMIT_PER_MINUTE", "2"))) {
            assertThat(get(s, "/api/modules_info", "X-Forwarded-For", "198.51.100.1").statusCode()).isEqualTo(200);
            assertThat(get(s, "/api/modules_info", "X-Forwarded-For", "198.51.100.2").statusCode()).isEqualTo(200);
            assertThat(get(s, "/api/modules_info", "X-Forwarded-For", "198.51.100.3").statusCode())
                    .as("a forged header from an untrusted peer changes nothing").isEqualTo(429);
        }
        try (TestServer s = server(Map.of("RATE_LIMIT_PER_MINUTE", "2", "TRUSTED_PROXIES", "127.0.0.1/32"))) {
            for (int i = 0; i < 4; i++) {
                assertThat(get(s, "/api/modules_info", "X-Forwarded-For", "198.51.100." + i).statusCode())
                        .as("behind a trusted proxy each client has its own limit").isEqualTo(200);
            }
            int from = logged().size();
            get(s, "/api/modules_info", "X-Forwarded-For", "6.6.6.6, 198.51.100.9");
            assertThat(loggedSince(from)).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("ip=198.51.100.9").contains("GET /api/modules_info -> 200"));
        }
    }

    @Test
    void allowedIpsRefuseEveryoneElseButProbes() throws Exception {
        try (TestServer s = server(Map.of("ALLOWED_IPS", "10.0.0.0/8"))) {
            HttpResponse<String> r = get(s, "/api/modules_info");
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(error(r).path("code").asText()).isEqualTo("forbidden");
            assertThat(get(s, "/").statusCode()).isEqualTo(403);
            assertThat(refusedUpgrade(s.ws("/v1/listen"), Map.of())).isEqualTo(403);
            assertThat(get(s, "/health").statusCode()).isEqualTo(200);
        }
        try (TestServer s = server(Map.of("ALLOWED_IPS", "10.0.0.0/8", "TRUSTED_PROXIES", "127.0.0.1"))) {
            assertThat(get(s, "/api/modules_info", "X-Forwarded-For", "10.1.2.3").statusCode()).isEqualTo(200);
            assertThat(get(s, "/api/modules_info", "X-Forwarded-For", "192.0.2.1").statusCode()).isEqualTo(403);
        }
    }

    @Test
    void metricsAreForLoopbackOrTheMetricsToken() throws Exception {
        try (TestServer s = server(Map.of())) {
            assertThat(get(s, "/metrics").statusCode()).isEqualTo(200);
            assertThat(get(s, "/metrics", "X-Forwarded-For", "192.0.2.1").statusCode())
                    .as("through a local proxy it is not local").isEqualTo(403);
        }
        try (TestServer s = server(Map.of("METRICS_TOKEN", "scrape-me"))) {
            assertThat(get(s, "/metrics").statusCode()).isEqualTo(401);
            assertThat(get(s, "/metrics", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
            assertThat(get(s, "/metrics", "Authorization", "Bearer scrape-me").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void securityHeaders() throws Exception {
        try (TestServer s = server(Map.of("PUBLIC_URL", "https://stt.example"))) {
            HttpResponse<String> json = get(s, "/api/modules_info");
            assertThat(json.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(json.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(v ->
                    assertThat(v).contains("max-age="));
            HttpResponse<String> page = get(s, "/");
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v ->
                    assertThat(v).contains("frame-ancestors 'none'"));
            assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            HttpResponse<String> missing = get(s, "/api/%3Cscript%3Ealert(1)%3C/script%3E");
            assertThat(missing.body()).doesNotContain("script").doesNotContain("alert");
        }
        try (TestServer s = server(Map.of())) {
            assertThat(get(s, "/health").headers().firstValue("Strict-Transport-Security")).as("not without https")
                    .isEmpty();
        }
    }

    @Test
    void modelPathsAndTheJvmAreShownOnlyToAKey() throws Exception {
        GuardKeys k = keys("alice");
        EngineRegistry vosk = EngineRegistry.of("vosk", List.of(TestEngines.vosk()));
        try (TestServer open = TestServer.start(Map.of(), vosk, ServerComponents.Jobs.WITHOUT_JOBS)) {
            assertThat(get(open, "/api/modules_info").body()).doesNotContain(TestEngines.cacheDir().toString())
                    .doesNotContain("\"path\"");
            assertThat(JSON.readTree(get(open, "/api/build_info").body()).has("java")).isFalse();
        }
        try (TestServer s = TestServer.start(auth(k), vosk, ServerComponents.Jobs.WITHOUT_JOBS)) {
            assertThat(get(s, "/api/modules_info", "X-API-Key", k.key("alice")).body()).contains("\"path\"");
            assertThat(JSON.readTree(get(s, "/api/build_info", "X-API-Key", k.key("alice")).body()).has("java"))
                    .isTrue();
        }
    }

    @Test
    void basicAuthGuardsThePageOnly() throws Exception {
        String hash = BCrypt.withDefaults().hashToString(4, "pw".toCharArray());
        try (TestServer s = server(Map.of("BASIC_AUTH_USERS", "ops:" + hash))) {
            HttpResponse<String> page = get(s, "/");
            assertThat(page.statusCode()).isEqualTo(401);
            assertThat(page.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v ->
                    assertThat(v).startsWith("Basic"));
            String creds = Base64.getEncoder().encodeToString("ops:pw".getBytes());
            assertThat(get(s, "/", "Authorization", "Basic " + creds).statusCode()).isEqualTo(200);
            assertThat(get(s, "/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aKeySeesOnlyItsOwnJobs() throws Exception {
        GuardKeys k = keys("alice", "bob");
        try (TestServer s = TestServer.start(auth(k), FakeEngine.builder("fake").build())) {
            HttpResponse<String> made = HTTP.send(new Multipart().file("file", "a.wav", silenceWav())
                    .post(s.http("/api/jobs"), "X-API-Key", k.key("alice")), HttpResponse.BodyHandlers.ofString());
            assertThat(made.statusCode()).isEqualTo(201);
            String id = JSON.readTree(made.body()).path("id").asText();
            assertThat(get(s, "/api/jobs/" + id, "X-API-Key", k.key("alice")).statusCode()).isEqualTo(200);
            assertThat(get(s, "/api/jobs/" + id, "X-API-Key", k.key("bob")).statusCode()).isEqualTo(404);
            assertThat(send(s, "DELETE", "/api/jobs/" + id, "X-API-Key", k.key("bob")).statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(get(s, "/api/jobs", "X-API-Key", k.key("bob")).body()).path("jobs")).isEmpty();
            assertThat(JSON.readTree(get(s, "/api/jobs", "X-API-Key", k.key("alice")).body()).path("jobs"))
                    .hasSize(1);
            assertThat(logged()).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("key=" + k.id("alice")).contains("POST /api/jobs -> 201"));
        }
    }

    @Test
    void aKeyHasItsOwnStreamCap() {
        GuardKeys k = keys("alice", "bob");
        try (TestServer s = server(auth(k, "MAX_SESSIONS_PER_KEY", "1"));
             WsClient first = WsClient.connect(s.ws("/v1/listen"), Map.of("X-API-Key", k.key("alice")))) {
            first.awaitType("ready");
            try (WsClient second = WsClient.connect(s.ws("/v1/listen"), Map.of("X-API-Key", k.key("alice")))) {
                WsClient.Result r = second.awaitClose();
                assertThat(r.error().path("code").asText()).isEqualTo("over_capacity");
                assertThat(r.error().path("message").asText()).contains("MAX_SESSIONS_PER_KEY");
                assertThat(r.close().code()).isEqualTo(1013);
            }
            try (WsClient other = WsClient.connect(s.ws("/v1/listen"), Map.of("X-API-Key", k.key("bob")))) {
                streamsOk(other);
            }
            finishes(first);
        }
    }

    /** OpenAI's SDK sends its api_key as a bearer token: a Voxgate key works there unchanged. */
    @Test
    void openAiSdksUseTheirApiKeyAsTheVoxgateKey(@TempDir Path dir) throws Exception {
        GuardKeys k = keys("sdk");
        Path wav = dir.resolve("silence.wav");
        Files.write(wav, silenceWav());
        try (TestServer s = TestServer.streaming(auth(k), FakeEngine.builder("fake").build())) {
            String base = "http://127.0.0.1:" + s.server().port() + "/v1";
            OpenAIClient wrong = OpenAIOkHttpClient.builder().baseUrl(base).apiKey("sk-not-a-voxgate-key")
                    .maxRetries(0).build();
            try {
                assertThatThrownBy(() -> wrong.audio().transcriptions().create(params(wav)))
                        .isInstanceOf(UnauthorizedException.class);
            } finally {
                wrong.close();
            }
            OpenAIClient right = OpenAIOkHttpClient.builder().baseUrl(base).apiKey(k.key("sdk")).build();
            try {
                assertThat(right.audio().transcriptions().create(params(wav)).asTranscription().text()).isNotNull();
            } finally {
                right.close();
            }
        }
    }

    /** A new one per request: the SDK reads the file once. */
    private static TranscriptionCreateParams params(Path wav) {
        return TranscriptionCreateParams.builder().file(wav).model(AudioModel.WHISPER_1).build();
    }

    @Test
    void anOpenServerSaysSoAtStartUpAndAKeyedOneDoesNot() {
        int from = logged().size();
        server(Map.of()).close();
        assertThat(loggedSince(from)).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("AUTHENTICATION IS OFF"));
        from = logged().size();
        server(auth(keys("quiet"))).close();
        assertThat(loggedSince(from)).noneSatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("AUTHENTICATION IS OFF"));
    }

    @Test
    void authRequiredRefusesToStartWithoutKeys() {
        assertThatThrownBy(() -> server(Map.of("AUTH_REQUIRED", "true"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("API_KEYS_FILE");
        GuardKeys empty = GuardKeys.create();
        assertThatThrownBy(() -> server(auth(empty, "AUTH_REQUIRED", "true"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("holds no key");
    }

    private static byte[] silenceWav() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WavWriter.write(out, 16000, 1, new short[16000]);
        return out.toByteArray();
    }
}
