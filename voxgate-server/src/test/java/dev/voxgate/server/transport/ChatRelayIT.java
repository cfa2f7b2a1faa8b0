package dev.voxgate.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.server.TestServer;
import dev.voxgate.server.guard.ApiKeyFile;
import dev.voxgate.testkit.FakeEngine;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code /api/chat} through a real Voxgate to a stand-in for moshi-server's chat WebSocket (a Javalin endpoint that
 * sends moshi's binary handshake byte on connect, echoes binary frames reversed and text upper-cased, and closes with
 * the code a client asks for): frames unchanged both ways, the key added upstream, closes passed on with their codes,
 * the guard's keys, and 404 when {@code KYUTAI_CHAT_URL} is unset. No engine work: a fake engine, a few seconds.
 */
@Timeout(60)
class ChatRelayIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Javalin moshi;
    private static final BlockingQueue<String> upstreamSaw = new LinkedBlockingQueue<>();

    @BeforeAll
    static void startMoshi() {
        moshi = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = 0;
            cfg.routes.ws("/api/chat", ws -> {
                ws.onConnect(ctx -> {
                    upstreamSaw.add("key " + ctx.header("kyutai-api-key"));
                    ctx.send(ByteBuffer.wrap(new byte[] {0})); // moshi's handshake: kind 0
                });
                ws.onBinaryMessage(ctx -> {
                    ByteBuffer data = ctx.data();
                    byte[] in = new byte[data.remaining()];
                    data.get(in);
                    byte[] out = new byte[in.length];
                    for (int i = 0; i < in.length; i++) out[i] = in[in.length - 1 - i];
                    ctx.send(ByteBuffer.wrap(out));
                });
                ws.onMessage(ctx -> {
                    if (ctx.message().startsWith("close ")) {
                        String[] p = ctx.message().split(" ");
                        ctx.closeSession(Integer.parseInt(p[1]), p[2]);
                    } else {
                        ctx.send(ctx.message().toUpperCase(Locale.ROOT));
                    }
                });
                ws.onClose(ctx -> upstreamSaw.add("closed " + ctx.status() + " " + ctx.reason()));
            });
        }).start();
    }

    @AfterAll
    static void stopMoshi() {
        if (moshi != null) moshi.stop();
    }

    private static Map<String, String> chat(String... more) {
        Map<String, String> s = new HashMap<>(Map.of("KYUTAI_CHAT_URL", "ws://127.0.0.1:" + moshi.port()
                + "/api/chat", "KYUTAI_API_KEY", "moshi-key"));
        for (int i = 0; i < more.length; i += 2) s.put(more[i], more[i + 1]);
        return s;
    }

    /** What a client of /api/chat received, in order. */
    private static final class Recorder implements WebSocket.Listener {
        final BlockingQueue<Object> got = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream message = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            message.writeBytes(b); // a large message may come in parts
            if (last) {
                got.add(message.toByteArray());
                message.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            got.add(data.toString());
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            got.add("close " + statusCode + " " + reason);
            return null;
        }

        Object next() throws InterruptedException {
            Object o = got.poll(10, TimeUnit.SECONDS);
            assertThat(o).as("a frame within 10 s").isNotNull();
            return o;
        }
    }

    private static String next(BlockingQueue<String> q) throws InterruptedException {
        String s = q.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("within 10 s").isNotNull();
        return s;
    }

    @Test
    void framesGoBothWaysUnchangedAndClosesArePassedOn() throws Exception {
        try (TestServer server = TestServer.streaming(chat(), FakeEngine.builder("fake").build())) {
            upstreamSaw.clear();
            Recorder r = new Recorder();
            WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(server.ws(ChatRelay.PATH), r).join();
            assertThat((byte[]) r.next()).containsExactly(0);
            assertThat(next(upstreamSaw)).isEqualTo("key moshi-key");
            byte[] big = new byte[60_000]; // under the stand-in's (Jetty's default) 64 KiB message limit
            for (int i = 0; i < big.length; i++) big[i] = (byte) i;
            for (int i = 0; i < 20; i++) {
                ws.sendBinary(ByteBuffer.wrap(new byte[] {1, (byte) i, 3}), true).join();
                ws.sendText("hello " + i, true).join();
            }
            ws.sendBinary(ByteBuffer.wrap(big), true).join();
            for (int i = 0; i < 20; i++) {
                assertThat((byte[]) r.next()).containsExactly(3, (byte) i, 1);
                assertThat(r.next()).isEqualTo("HELLO " + i);
            }
            byte[] back = (byte[]) r.next();
            assertThat(back).hasSize(big.length);
            assertThat(back[0]).isEqualTo(big[big.length - 1]);
            ws.sendText("close 4001 bye", true).join();
            assertThat(r.next()).as("moshi's close, passed on").isEqualTo("close 4001 bye");
            assertThat(next(upstreamSaw)).startsWith("closed 4001");
        }
    }

    @Test
    void aClientsCloseReachesMoshiWithItsCode() throws Exception {
        try (TestServer server = TestServer.streaming(chat(), FakeEngine.builder("fake").build())) {
            upstreamSaw.clear();
            Recorder r = new Recorder();
            WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(server.ws(ChatRelay.PATH), r).join();
            r.next();
            assertThat(next(upstreamSaw)).startsWith("key");
            ws.sendClose(4002, "done").join();
            assertThat(next(upstreamSaw)).isEqualTo("closed 4002 done");
            assertThat(r.next()).isEqualTo("close 4002 done");
        }
    }

    @Test
    void withoutKyutaiChatUrlItIsA404ThatSaysSo() throws Exception {
        try (TestServer server = TestServer.streaming(Map.of(), FakeEngine.builder("fake").build())) {
            HttpResponse<String> r = server.get(ChatRelay.PATH);
            assertThat(r.statusCode()).isEqualTo(404);
            JsonNode e = JSON.readTree(r.body()).path("error");
            assertThat(e.path("code").asText()).isEqualTo("not_found");
            assertThat(e.path("message").asText()).contains("KYUTAI_CHAT_URL");
            assertThatThrownBy(() -> HTTP.newWebSocketBuilder().buildAsync(server.ws(ChatRelay.PATH),
                    new Recorder()).join()).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(WebSocketHandshakeException.class);
        }
    }

    @Test
    void theGuardsKeysAndSessionCapsApply(@TempDir Path tmp) throws Exception {
        Path keys = tmp.resolve("keys");
        ApiKeyFile.NewKey key = ApiKeyFile.create("chat", Set.of(), new SecureRandom(), Instant.now());
        ApiKeyFile.write(keys, List.of(key.entry()));
        try (TestServer server = TestServer.streaming(chat("API_KEYS_FILE", keys.toString(), "MAX_SESSIONS", "1"),
                FakeEngine.builder("fake").build())) {
            URI uri = server.ws(ChatRelay.PATH);
            assertThatThrownBy(() -> HTTP.newWebSocketBuilder().buildAsync(uri, new Recorder()).join())
                    .cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse()
                            .statusCode()).isEqualTo(401));
            Recorder r = new Recorder();
            WebSocket first = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + key.key())
                    .buildAsync(uri, r).join();
            assertThat((byte[]) r.next()).containsExactly(0);
            // MAX_SESSIONS=1 is taken by the open chat: the next is over capacity, before any upgrade
            assertThatThrownBy(() -> HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + key.key())
                    .buildAsync(uri, new Recorder()).join()).cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                            .isEqualTo(429));
            first.sendClose(1000, "").join();
            assertThat(r.next()).isEqualTo("close 1000 ");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            WebSocket again = null;
            while (again == null) { // the slot comes back when the relay has seen both closes
                try {
                    again = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + key.key())
                            .buildAsync(uri, new Recorder()).join();
                } catch (CompletionException e) {
                    if (System.nanoTime() > deadline) throw e;
                    Thread.sleep(50);
                }
            }
            again.abort();
        }
    }
}
