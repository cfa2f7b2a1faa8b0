package dev.voxgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.models.audio.AudioModel;
import com.openai.models.audio.translations.TranslationCreateParams;
import com.sun.net.httpserver.HttpServer;
import dev.voxgate.audio.WavWriter;
import dev.voxgate.testkit.FakeEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HTTP errors at the edges: OpenAI's shape on every {@code /v1/*} answer (unknown routes and 405
 * too), the native shape elsewhere, OpenAI's answer for what Voxgate does not offer, and answers
 * given before the body was read reaching Node's fetch as statuses, never as broken pipes.
 */
@Timeout(300)
class HttpErrorsIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("DATA_DIR", dir.resolve("data").toString(), "MAX_FILE_SIZE_MB", "1",
                "WORKER_CONCURRENCY", "0"), FakeEngine.builder("fake").build());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.http(path)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** OpenAI's error object: message, type, param (present, maybe null) and code; no retry for a client mistake. */
    private static JsonNode openAiError(HttpResponse<String> r, int status) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.headers().firstValue("x-should-retry")).hasValue("false");
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertThat(error.path("message").isTextual()).as(r.body()).isTrue();
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.has("param")).as("param is always present").isTrue();
        assertThat(error.path("code").isTextual()).isTrue();
        return error;
    }

    private static JsonNode nativeError(HttpResponse<String> r, int status) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertThat(error.path("code").isTextual()).as(r.body()).isTrue();
        assertThat(error.path("message").isTextual()).isTrue();
        assertThat(error.has("type")).as("no OpenAI fields off /v1").isFalse();
        return error;
    }

    @Test
    void unknownRoutesUnderV1AnswerInOpenAisShape() throws Exception {
        JsonNode e = openAiError(send("GET", "/v1/nothing/here", null), 404);
        assertThat(e.path("message").asText()).isEqualTo("Invalid URL (GET)").as("the path is not echoed");
        assertThat(e.path("code").asText()).isEqualTo("not_found");
        assertThat(e.path("param").isNull()).isTrue();
    }

    @Test
    void wrongMethodUnderV1AnswersInOpenAisShape() throws Exception {
        JsonNode e = openAiError(send("DELETE", "/v1/models", null), 405);
        assertThat(e.path("code").asText()).isEqualTo("method_not_allowed");
        assertThat(e.path("message").asText()).contains("DELETE").doesNotContain("/v1/models");
    }

    @Test
    void errorsOffV1AnswerInTheNativeShape() throws Exception {
        JsonNode noRoute = nativeError(send("GET", "/api/nothing", null), 404);
        assertThat(noRoute.path("code").asText()).isEqualTo("not_found");
        assertThat(noRoute.path("message").asText()).isEqualTo("no route for GET on this path");
        assertThat(nativeError(send("POST", "/health", "{}"), 405).path("code").asText())
                .isEqualTo("method_not_allowed");
        assertThat(nativeError(send("GET", "/api/jobs/not-a-job", null), 404).path("code").asText())
                .isEqualTo("not_found");
        JsonNode size = nativeError(send("GET", "/api/jobs?size=0", null), 400);
        assertThat(size.path("code").asText()).isEqualTo("invalid_parameter");
        assertThat(size.path("param").asText()).isEqualTo("size");
        HttpResponse<String> notMultipart = send("POST", "/api/jobs", "{}");
        assertThat(nativeError(notMultipart, 400).path("code").asText()).isEqualTo("invalid_parameter");
        assertThat(notMultipart.headers().firstValue("x-should-retry")).hasValue("false");
    }

    /** A form the parser cannot read: the answer says what to check, never the parser's exception or a server path. */
    @Test
    void anUnreadableFormIsAnsweredWithoutTheParsersText() throws Exception {
        for (String path : List.of("/api/jobs", "/v1/audio/transcriptions")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.http(path))
                    .header("Content-Type", "multipart/form-data; boundary=xyz")
                    .POST(HttpRequest.BodyPublishers.ofString("--xyz\r\nContent-Disposition: form-data; name=\"file\"; "
                            + "filename=\"a.wav\"\r\n"
                            + "\r\nRIFF and then the body stops")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            String message = JSON.readTree(r.body()).path("error").path("message").asText();
            assertThat(message).as(path).contains("multipart/form-data").doesNotContain("Exception")
                    .doesNotContain("org.eclipse")
                    .doesNotContain(dir.toString()).doesNotContain("/tmp").doesNotContain("unexpected EOF");
        }
    }

    /** The job API's codes are the catalogue's: the same failure has the same code as on /v1/listen. */
    @Test
    void jobSubmissionsUseTheCataloguesCodes() throws Exception {
        JsonNode engine = nativeError(HTTP.send(new Multipart().field("engine", "nope").file("file", "a.wav", wav())
                .post(server.http("/api/jobs")), HttpResponse.BodyHandlers.ofString()), 400);
        assertThat(engine.path("code").asText()).isEqualTo("unknown_engine");
        assertThat(engine.path("param").asText()).isEqualTo("engine");
        JsonNode language = nativeError(HTTP.send(new Multipart().field("language", "xx").file("file", "a.wav", wav())
                .post(server.http("/api/jobs")), HttpResponse.BodyHandlers.ofString()), 400);
        assertThat(language.path("code").asText()).isEqualTo("unsupported_language");
        JsonNode text = nativeError(HTTP.send(new Multipart()
                .file("file", "notes.wav", "just text\n".repeat(100).getBytes())
                .post(server.http("/api/jobs")), HttpResponse.BodyHandlers.ofString()), 400);
        assertThat(text.path("code").asText()).isEqualTo("not_audio");
    }

    @ParameterizedTest
    @ValueSource(strings = {"whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe", "fake"})
    void modelsThatTranscriptionsAcceptAreFound(String model) throws Exception {
        HttpResponse<String> r = send("GET", "/v1/models/" + model, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode m = JSON.readTree(r.body());
        assertThat(m.path("id").asText()).isEqualTo(model);
        assertThat(m.path("object").asText()).isEqualTo("model");
        List<String> listed = JSON.readTree(send("GET", "/v1/models", null).body()).path("data").findValuesAsText("id");
        assertThat(listed).contains(model);
    }

    @Test
    void anUnknownModelIsNotFound() throws Exception {
        JsonNode e = openAiError(send("GET", "/v1/models/whisper-9", null), 404);
        assertThat(e.path("param").asText()).isEqualTo("model");
        assertThat(e.path("message").asText()).contains("'whisper-9'").contains("whisper-1");
    }

    @Test
    void translationsAnswerAsOpenAiDoesForAnEndpointItDoesNotHave() throws Exception {
        HttpResponse<String> r = HTTP.send(new Multipart().field("model", "whisper-1").file("file", "a.wav", wav())
                .post(server.http("/v1/audio/translations")), HttpResponse.BodyHandlers.ofString());
        JsonNode e = openAiError(r, 404);
        assertThat(e.path("message").asText()).startsWith("Invalid URL (POST /v1/audio/translations)")
                .contains("/v1/audio/transcriptions");
        assertThat(e.path("code").asText()).isEqualTo("not_supported");
    }

    /**
     * OpenAI's SDK retries what may succeed later (5xx without x-should-retry: false): translations must be asked once.
     */
    @Test
    void openAisSdkAsksForTranslationsOnceAndReportsNotFound() throws Exception {
        try (CountingProxy proxy = new CountingProxy(server.http("/"));
             var audio = new TempFile(wav())) {
            OpenAIClient openai = OpenAIOkHttpClient.builder().baseUrl(proxy.base() + "/v1").apiKey("unused")
                    .maxRetries(2).build();
            try {
                assertThatThrownBy(() -> openai.audio().translations().create(TranslationCreateParams.builder()
                        .file(audio.path()).model(AudioModel.WHISPER_1).build()))
                        .isInstanceOf(NotFoundException.class)
                        .hasMessageContaining("Invalid URL (POST /v1/audio/translations)");
            } finally {
                openai.close();
            }
            assertThat(proxy.count("POST /v1/audio/translations")).as("requests the SDK made").isEqualTo(1);
        }
    }

    /**
     * Node's fetch (under OpenAI's Node SDK) sees every early answer as its status: the server reads
     * the rest of the body before answering, instead of closing on a client that is still sending.
     * Bodies of 6 MiB: Jetty absorbs the first megabytes itself, and without the fix about a third of
     * these calls failed with EPIPE on this machine.
     */
    @Test
    void earlyAnswersReachNodesFetchAsStatusesNotBrokenPipes() throws Exception {
        Path script = dir.resolve("early-answers.mjs");
        try (InputStream in = HttpErrorsIT.class.getResourceAsStream("/node/early-answers.mjs")) {
            Files.write(script, in.readAllBytes());
        }
        Process node;
        try {
            node = new ProcessBuilder("node", script.toString(), "http://127.0.0.1:" + server.server().port(), "30",
                    String.valueOf(6 * 1024 * 1024)).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new AssertionError("this test needs Node.js 18 or newer on the PATH (Debian: apt-get install nodejs)",
                    e);
        }
        byte[] out = node.getInputStream().readAllBytes();
        String err = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(240, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(err).isZero();
        JsonNode results = JSON.readTree(out);
        assertThat(results.size()).isEqualTo(6);
        for (JsonNode r : results) {
            System.out.printf("[node fetch] %s: %s, errors %s%n", r.path("name").asText(), r.path("statuses"),
                    r.path("errors"));
            assertThat(r.path("errors")).as(r.path("name").asText() + ": network errors instead of the answer")
                    .isEmpty();
            assertThat(r.path("statuses").path(r.path("expected").asText()).asInt()).as(r.toString()).isEqualTo(30);
        }
        assertThat(server.get("/health").statusCode()).isEqualTo(200);
        try (var files = Files.walk(dir.resolve("data").resolve("incoming"))) {
            assertThat(files.filter(Files::isRegularFile).filter(f -> !f.endsWith(".lock")).toList())
                    .as("nothing left in incoming/").isEmpty();
        }
    }

    private static byte[] wav() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WavWriter.write(out, 16000, 1, new short[16000]);
        return out.toByteArray();
    }

    private record TempFile(Path path) implements AutoCloseable {
        TempFile(byte[] content) throws IOException {
            this(Files.write(Files.createTempFile(dir, "audio", ".wav"), content));
        }

        @Override
        public void close() throws IOException {
            Files.deleteIfExists(path);
        }
    }

    /** A loopback HTTP proxy that counts the requests passing through it ("METHOD /path"). */
    private static final class CountingProxy implements AutoCloseable {
        private static final Set<String> HOP = Set.of("host", "connection", "content-length", "expect", "upgrade",
                "transfer-encoding", "keep-alive");
        private final HttpServer http;
        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        CountingProxy(URI target) throws IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/", exchange -> {
                String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
                counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                byte[] body = exchange.getRequestBody().readAllBytes();
                HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI()
                        .toString()))
                        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (!HOP.contains(name.toLowerCase())) values.forEach(v -> forward.header(name, v));
                });
                try {
                    HttpResponse<byte[]> r = HTTP.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                    r.headers().map().forEach((name, values) -> {
                        if (!HOP.contains(name.toLowerCase()) && !name.startsWith(":")) exchange.getResponseHeaders()
                                .put(name, values);
                    });
                    exchange.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                    exchange.getResponseBody().write(r.body());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(502, -1);
                } finally {
                    exchange.close();
                }
            });
            http.start();
        }

        String base() {
            return "http://127.0.0.1:" + http.getAddress().getPort();
        }

        int count(String key) {
            AtomicInteger n = counts.get(key);
            return n == null ? 0 : n.get();
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }
}
