package dev.voxgate.server;

import dev.voxgate.api.SpeechEngine;
import dev.voxgate.server.config.ServerConfig;
import dev.voxgate.server.config.Settings;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.session.Ticker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A real server on a free loopback port, closed by try-with-resources. The first engine is the default. */
public final class TestServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final VoxgateServer server;

    private TestServer(VoxgateServer server) {
        this.server = server;
    }

    public static TestServer start(Map<String, String> settings, SpeechEngine... engines) {
        return start(settings, EngineRegistry.of(engines[0].descriptor().id(), List.of(engines)));
    }

    /** A server without the job queue (no job database is opened): for tests of streaming and the protocol. */
    public static TestServer streaming(Map<String, String> settings, SpeechEngine... engines) {
        return start(settings, EngineRegistry.of(engines[0].descriptor().id(), List.of(engines)),
                ServerComponents.Jobs.WITHOUT_JOBS);
    }

    public static TestServer start(Map<String, String> settings, EngineRegistry registry) {
        return start(settings, registry, ServerComponents.Jobs.WITH_JOBS);
    }

    public static TestServer start(Map<String, String> settings, EngineRegistry registry, ServerComponents.Jobs jobs) {
        return start(settings, registry, jobs, Ticker.SYSTEM);
    }

    /** With the test's own ticker for session deadlines, token expiry and rate-limit refills. */
    public static TestServer start(Map<String, String> settings, EngineRegistry registry, ServerComponents.Jobs jobs,
                                   Ticker ticker) {
        return new TestServer(VoxgateServer.start(ServerComponents.create(config(settings), registry, ticker,
                Clock.systemUTC(), jobs)));
    }

    /** A test server's configuration: loopback, a free port, a fresh data folder, unless the settings say otherwise. */
    static ServerConfig config(Map<String, String> settings) {
        // Every test client is 127.0.0.1, one caller to the per-IP limits: tests of the limits turn them on.
        Map<String, String> s = new HashMap<>(Map.of("HOST", "127.0.0.1", "PORT", "0", "SHUTDOWN_GRACE_MS", "2000",
                "RATE_LIMIT_PER_MINUTE", "0", "UPLOADS_PER_MINUTE", "0"));
        s.putAll(settings);
        if (!s.containsKey("DATA_DIR")) {
            try { // each server its own job database and files, never the user's
                s.put("DATA_DIR", Files.createTempDirectory("voxgate-test-data").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ServerConfig.from(Settings.of(s));
    }

    public VoxgateServer server() {
        return server;
    }

    public URI ws(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + server.port() + pathAndQuery);
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    public HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(http(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of a Prometheus sample line (name with labels, exactly as scraped), or NaN. */
    public double metric(String sample) {
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(sample + " ")) return Double.parseDouble(line.substring(sample.length() + 1).trim());
        }
        return Double.NaN;
    }

    @Override
    public void close() {
        server.close();
    }
}
