package dev.voxgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Two {@code voxgate serve} processes behind one (imagined) load balancer, sharing a real Redis: one rate limit for
 * both, a WebSocket token from one node used on the other and then spent on both, and a key revoked with
 * {@code voxgate keys revoke} refused by both at once. Keys come from {@code voxgate keys create}; neither
 * process's log may hold one.
 */
@Timeout(300)
class SharedLimitsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Process redis;
    private static int redisPort;

    @BeforeAll
    static void startRedis() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            redisPort = s.getLocalPort();
        }
        try {
            redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("this test needs redis-server (Debian package redis-server; scripts/test"
                    + " installs it): " + e.getMessage(), e);
        }
        for (int i = 0; i < 100; i++) {
            try (Socket ignored = new Socket("127.0.0.1", redisPort)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + redisPort);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static HttpResponse<String> get(VoxgateProcess node, String path, String key) throws Exception {
        return node.send(HttpRequest.newBuilder(node.http(path)).header("X-API-Key", key).build());
    }

    private static int upgrade(VoxgateProcess node, String query) {
        URI ws = URI.create(node.http("/v1/listen").toString().replaceFirst("^http", "ws") + query);
        Throwable t = catchThrowable(() -> {
            WebSocket s = HTTP.newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() { }).join();
            s.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        });
        if (t == null) return 101;
        while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
        assertThat(t).isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) t).getResponse().statusCode();
    }

    @Test
    void twoNodesShareOneLimitTheTokensAndTheKeyFile(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("api-keys");
        CliRun created = CliRun.of("keys", "create", "shared", "--file", keys.toString());
        assertThat(created.exitCode()).as(created.err()).isZero();
        String key = KeysCommandTest.lastLine(created.out());
        Map<String, String> env = Map.of("API_KEYS_FILE", keys.toString(), "AUTH_REQUIRED", "true",
                "REDIS_URL", "redis://127.0.0.1:" + redisPort, "RATE_LIMIT_PER_MINUTE", "6",
                "DATA_DIR", dir.resolve("data").toString());
        try (VoxgateProcess a = VoxgateProcess.serve(env); VoxgateProcess b = VoxgateProcess.serve(env)) {
            // 1: a token from node a …
            HttpResponse<String> issued = a.send(HttpRequest.newBuilder(a.http("/api/tokens"))
                    .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(issued.statusCode()).isEqualTo(201);
            String token = JSON.readTree(issued.body()).path("token").asText();
            // 2: … opens a stream on node b, once.
            assertThat(upgrade(b, "?token=" + token)).isEqualTo(101);
            assertThat(upgrade(a, "?token=" + token)).as("spent on every node").isEqualTo(401);

            // 3..6 across both nodes, then both refuse: one bucket.
            for (int i = 0; i < 4; i++) {
                assertThat(get(i % 2 == 0 ? a : b, "/api/modules_info", key).statusCode()).as("request " + i)
                        .isEqualTo(200);
            }
            HttpResponse<String> overA = get(a, "/api/modules_info", key);
            assertThat(overA.statusCode()).isEqualTo(429);
            assertThat(overA.headers().firstValue("Retry-After")).isPresent();
            assertThat(get(b, "/api/modules_info", key).statusCode()).isEqualTo(429);

            CliRun revoked = CliRun.of("keys", "revoke", "shared", "--file", keys.toString());
            assertThat(revoked.exitCode()).as(revoked.err()).isZero();
            assertThat(get(a, "/api/modules_info", key).statusCode()).isEqualTo(401);
            assertThat(get(b, "/api/modules_info", key).statusCode()).isEqualTo(401);

            String secret = key.substring(12);
            for (VoxgateProcess node : new VoxgateProcess[] {a, b}) {
                assertThat(node.log()).contains("key=" + key.substring(3, 11)).doesNotContain(secret)
                        .doesNotContain(token.substring(4));
            }
        }
    }

    @Test
    void aRedisThatCannotBeReachedStopsStartUp(@TempDir Path dir) {
        Throwable t = catchThrowable(() -> VoxgateProcess.serve(Map.of("REDIS_URL", "redis://127.0.0.1:1",
                "DATA_DIR", dir.toString())).close());
        assertThat(t).hasMessageContaining("REDIS_URL");
    }
}
