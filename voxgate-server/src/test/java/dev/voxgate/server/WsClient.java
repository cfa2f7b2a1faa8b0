package dev.voxgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A recording native-protocol client on the JDK WebSocket: every message lands in a queue that
 * tests read in order, and the close (code and reason) is captured.
 */
public final class WsClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    public record Close(int code, String reason) {
    }

    /** Everything a session produced, once it is closed. */
    public record Result(List<JsonNode> messages, Close close) {
        public List<JsonNode> ofType(String type) {
            return messages.stream().filter(m -> type.equals(m.path("type").asText())).toList();
        }

        public String finalText() {
            return ofType("final").stream().map(m -> m.path("text").asText()).filter(t -> !t.isBlank())
                    .collect(Collectors.joining(" "));
        }

        public JsonNode error() {
            List<JsonNode> errors = ofType("error");
            return errors.isEmpty() ? null : errors.get(errors.size() - 1);
        }
    }

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private WebSocket ws;
    private volatile boolean readySeen;

    private WsClient() {
    }

    public static WsClient connect(URI uri) {
        return connect(uri, Map.of());
    }

    /** Connects with extra upgrade headers (Authorization, Origin, …) and optionally subprotocols to offer. */
    public static WsClient connect(URI uri, Map<String, String> headers, String... subprotocols) {
        return connect(HTTP, uri, headers, subprotocols);
    }

    /** Through {@code http}: for a {@code wss://} server whose certificate needs a trust store of its own. */
    public static WsClient connect(HttpClient http, URI uri, Map<String, String> headers, String... subprotocols) {
        WsClient c = new WsClient();
        WebSocket.Builder b = http.newWebSocketBuilder();
        headers.forEach(b::header);
        if (subprotocols.length > 0) {
            b.subprotocols(subprotocols[0], Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        c.ws = b.buildAsync(uri, c.new Listener()).join();
        return c;
    }

    /** The subprotocol the server chose ("" for none). */
    public String subprotocol() {
        return ws.getSubprotocol();
    }

    /** Sends a binary frame and waits until it is written. */
    public WsClient sendBinary(byte[] data, int offset, int length) {
        ws.sendBinary(ByteBuffer.wrap(data, offset, length), true).join();
        return this;
    }

    public WsClient sendBinary(byte[] data) {
        return sendBinary(data, 0, data.length);
    }

    public WsClient sendText(String text) {
        ws.sendText(text, true).join();
        return this;
    }

    public WsClient endStream() {
        return sendText("{\"type\":\"end_stream\"}");
    }

    /** Sends {@code pcm} in frames of {@code frameBytes}, then end_stream, and waits for the close. */
    public Result stream(byte[] pcm, int frameBytes) {
        return stream(pcm, frameBytes, TIMEOUT);
    }

    /**
     * As {@link #stream(byte[], int)}, waiting up to {@code closeWithin} for the close after end_stream: the socket's
     * buffers can take minutes of audio that the server has yet to read when the client has sent it all.
     */
    public Result stream(byte[] pcm, int frameBytes, Duration closeWithin) {
        if (!readySeen) awaitType("ready");
        for (int pos = 0; pos < pcm.length; pos += frameBytes) {
            if (closed.isDone()) break;
            sendBinary(pcm, pos, Math.min(frameBytes, pcm.length - pos));
        }
        if (!closed.isDone()) endStream();
        return awaitClose(closeWithin);
    }

    /** Waits for the next message; fails the test when none comes in time. */
    public JsonNode next() {
        try {
            JsonNode m = messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) throw new AssertionError("no message within " + TIMEOUT + "; got so far: " + seen);
            seen.add(m);
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Skips messages until one of this type; fails if the connection closes first. */
    public JsonNode awaitType(String type) {
        while (true) {
            JsonNode m = messages.peek() == null && closed.isDone() ? null : next();
            if (m == null) throw new AssertionError("closed " + closed.join() + " before a '" + type + "' message; got "
                    + seen);
            if ("ready".equals(m.path("type").asText())) readySeen = true;
            if (type.equals(m.path("type").asText())) return m;
        }
    }

    /** Waits for the server to close, and returns every message received (including those already read). */
    public Result awaitClose() {
        return awaitClose(TIMEOUT);
    }

    /** As {@link #awaitClose()}, waiting up to {@code within}. */
    public Result awaitClose(Duration within) {
        try {
            Close c = closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
            messages.drainTo(seen);
            return new Result(List.copyOf(seen), c);
        } catch (Exception e) {
            messages.drainTo(seen);
            throw new AssertionError("the server did not close within " + within + "; got " + seen, e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Drops the TCP connection without a close handshake (a client that vanished). */
    public void abort() {
        ws.abort();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) ws.sendClose(1000, "bye");
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partialText = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partialText.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partialText.toString()));
                } catch (IOException e) {
                    messages.add(JSON.createObjectNode().put("type", "unparsable").put("raw", partialText.toString()));
                }
                partialText.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.complete(new Close(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.complete(new Close(1006, String.valueOf(error)));
        }
    }
}
