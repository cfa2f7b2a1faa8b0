package dev.voxgate.server;

import dev.voxgate.api.SpeechEngine;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.guard.TestCallers;
import dev.voxgate.server.session.Ticker;
import io.javalin.Javalin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * A real server with {@link TestServer}'s parts and route table, whose requests come from the API key
 * a test names in {@value #KEY_HEADER}, as if the guard had authenticated it; a request without the
 * header comes from no key, as on a server running open. For tests of what belongs to whom, without
 * key files.
 */
public final class KeyedTestServer implements AutoCloseable {
    /** The id of the key a request comes from. */
    public static final String KEY_HEADER = "X-Test-Key-Id";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ServerComponents parts;
    private final Javalin app;

    private KeyedTestServer(ServerComponents parts, Javalin app) {
        this.parts = parts;
        this.app = app;
    }

    public static KeyedTestServer start(Map<String, String> settings, SpeechEngine... engines) {
        ServerComponents parts = ServerComponents.create(TestServer.config(settings),
                EngineRegistry.of(engines[0].descriptor().id(), List.of(engines)), Ticker.SYSTEM, Clock.systemUTC(),
                ServerComponents.Jobs.WITH_JOBS);
        Javalin app = Javalin.create(cfg -> {
            ServerRoutes.configure(cfg, parts);
            cfg.routes.before(TestCallers.keyFromHeader(KEY_HEADER));
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            parts.drain();
            parts.release();
            throw e;
        }
        return new KeyedTestServer(parts, app);
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    /** A request to {@code path} from the key {@code keyId}, or from no key when it is null. */
    private HttpRequest.Builder request(String path, String keyId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(http(path));
        return keyId == null ? b : b.header(KEY_HEADER, keyId);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Posts {@code form} to {@code path} from the key {@code keyId}, or from no key when it is null. */
    public HttpResponse<String> post(String path, String keyId, Multipart form) {
        HttpRequest.Builder b = HttpRequest.newBuilder(form.post(http(path)), (name, value) -> true);
        return send((keyId == null ? b : b.header(KEY_HEADER, keyId)).build());
    }

    public HttpResponse<String> get(String path, String keyId) {
        return send(request(path, keyId).GET().build());
    }

    public HttpResponse<String> delete(String path, String keyId) {
        return send(request(path, keyId).DELETE().build());
    }

    @Override
    public void close() {
        parts.drain();
        app.stop();
        parts.release();
    }
}
