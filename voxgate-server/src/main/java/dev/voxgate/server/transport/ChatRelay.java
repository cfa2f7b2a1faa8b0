package dev.voxgate.server.transport;

import dev.voxgate.server.config.ConfigException;
import dev.voxgate.server.config.ServerConfig;
import dev.voxgate.server.error.ApiError;
import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.error.HttpErrorMapper;
import dev.voxgate.server.guard.Caller;
import dev.voxgate.server.session.Admission;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code /api/chat}: a WebSocket pass-through to moshi-server's chat endpoint ({@code KYUTAI_CHAT_URL}), for clients
 * of a moshi deployment that reach its chat through the same front as everything else. The guard has already checked
 * the key, the origin and the rate limit (it sees every {@code /api/} request); here a chat also takes a slot of
 * {@code MAX_SESSIONS} and {@code MAX_SESSIONS_PER_KEY} for as long as it lasts, as a stream does. Without
 * {@code KYUTAI_CHAT_URL} the path answers 404 {@code not_found} saying so.
 *
 * <p>Frames are relayed unchanged both ways (binary and text, fragments as they come), each direction one frame at a
 * time: the next frame is read from one side only once the other side has taken the last one, so a slow reader slows
 * the sender instead of filling memory. A close from either side is passed on with its code and reason.
 * {@code KYUTAI_API_KEY}, when set, goes upstream as the {@code kyutai-api-key} header moshi-server checks.
 *
 * <p>Threads: Jetty calls the client side, the JDK's WebSocket client the moshi side; neither blocks: each only
 * starts the send on the other side and asks for the next frame when that send completes.
 */
public final class ChatRelay {
    public static final String PATH = "/api/chat";
    private static final Logger log = LoggerFactory.getLogger(ChatRelay.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Optional<URI> upstream;
    private final Optional<String> key;
    private final Admission admission;
    private final ServerConfig config;
    private final HttpClient http;

    private ChatRelay(Optional<URI> upstream, Optional<String> key, Admission admission, ServerConfig config) {
        this.upstream = upstream;
        this.key = key;
        this.admission = admission;
        this.config = config;
        this.http = upstream.isEmpty() ? null : HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    /**
     * Reads {@code KYUTAI_CHAT_URL} and {@code KYUTAI_API_KEY}.
     *
     * @throws ConfigException when {@code KYUTAI_CHAT_URL} is set but not a {@code ws://} or {@code wss://} URL
     */
    public static ChatRelay from(ServerConfig config, Admission admission) {
        String raw = config.engineSettings().string("KYUTAI_CHAT_URL", "").strip();
        String key = config.engineSettings().string("KYUTAI_API_KEY", "").strip();
        Optional<URI> url = Optional.empty();
        if (!raw.isEmpty()) {
            try {
                URI u = new URI(raw);
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("ws") && !scheme.equals("wss") || u.getHost() == null) throw new URISyntaxException(
                        raw, "not a ws:// or wss:// URL with a host");
                url = Optional.of(u);
            } catch (URISyntaxException e) {
                throw new ConfigException("KYUTAI_CHAT_URL must be the ws:// or wss:// URL of moshi-server's chat, "
                        + "e.g. ws://gpu-box:8998/api/chat (" + e.getReason() + ")");
            }
        }
        return new ChatRelay(url, key.isEmpty() ? Optional.empty() : Optional.of(key), admission, config);
    }

    /** The servlet for {@link #PATH}. */
    /** False without {@code KYUTAI_CHAT_URL}: then the route answers 404 saying so (ServerRoutes). */
    public boolean enabled() {
        return upstream.isPresent();
    }

    /** What {@code /api/chat} answers with when {@link #enabled()} is false. */
    public static final String OFF = "/api/chat is off: it passes through to moshi-server's chat, and KYUTAI_CHAT_URL "
            + "is not set";

    public JettyWebSocketServlet servlet() {
        return new ChatServlet();
    }

    /** The URL without user info or query, for logs. */
    private String safeUrl() {
        URI u = upstream.orElseThrow();
        return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()) + u.getRawPath();
    }

    private final class ChatServlet extends JettyWebSocketServlet {
        private static final long serialVersionUID = 1L;
        private static final String ADMITTED = "voxgate.chat.admitted";

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
            HttpErrorMapper errors = HttpErrorMapper.forPath(req.getRequestURI());
            if (!"websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
                super.service(req, res);
                return;
            }
            String caller = Caller.of(req).limitIdentity();
            switch (admission.tryAcquire(caller)) {
                case SERVER_FULL -> {
                    errors.send(res, ApiError.of(ErrorCode.OVER_CAPACITY, "the server is at its limit of "
                            + admission.max() + " concurrent sessions (MAX_SESSIONS); retry later"));
                    return;
                }
                case CALLER_FULL -> {
                    errors.send(res, ApiError.of(ErrorCode.OVER_CAPACITY, "this key already has "
                            + admission.maxPerCaller() + " streams open, its limit (MAX_SESSIONS_PER_KEY); close "
                            + "one or retry later"));
                    return;
                }
                case ADMITTED -> { }
            }
            try {
                super.service(req, res);
            } finally {
                // The endpoint owns the slot once the upgrade created it; otherwise it is given back here.
                if (req.getAttribute(ADMITTED) == null) admission.release(caller);
            }
        }

        @Override
        protected void configure(JettyWebSocketServletFactory factory) {
            factory.setMaxBinaryMessageSize(config.maxFrameBytes());
            factory.setMaxTextMessageSize(config.maxFrameBytes());
            factory.setIdleTimeout(config.connectionTimeout());
            factory.setCreator((request, response) -> {
                request.getHttpServletRequest().setAttribute(ADMITTED, Boolean.TRUE);
                return new ChatEndpoint(Caller.of(request.getHttpServletRequest()).limitIdentity());
            });
        }
    }

    /** One chat: the client's Jetty session and the JDK WebSocket to moshi-server (public: Jetty calls it). */
    public final class ChatEndpoint implements Session.Listener {
        private final String caller;
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile Session client;
        private volatile WebSocket moshi;

        ChatEndpoint(String caller) {
            this.caller = caller;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            client = session;
            WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT);
            key.ifPresent(k -> b.header("kyutai-api-key", k));
            b.buildAsync(upstream.orElseThrow(), new MoshiSide()).whenComplete((ws, error) -> {
                if (error != null) {
                    log.warn("/api/chat: moshi-server's chat at {} did not accept the connection: {}", safeUrl(),
                            error.getCause() == null ? error.toString() : error.getCause().toString());
                    session.close(StatusCode.TRY_AGAIN_LATER, "moshi-server's chat is unavailable; retry later",
                            Callback.NOOP);
                    release();
                    return;
                }
                moshi = ws;
                session.demand(); // only now the client's frames: there is somewhere to send them
            });
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            // Jetty keeps the payload until the callback completes: no copy, and no next frame before moshi took it.
            moshi.sendBinary(payload, true).whenComplete((ws, error) -> {
                if (error != null) {
                    callback.fail(error);
                    broken(error);
                } else {
                    callback.succeed();
                    client.demand();
                }
            });
        }

        @Override
        public void onWebSocketText(String text) {
            moshi.sendText(text, true).whenComplete((ws, error) -> {
                if (error != null) broken(error);
                else client.demand();
            });
        }

        @Override
        public void onWebSocketPing(ByteBuffer payload) {
            client.demand(); // Jetty answers it; a ping is a frame like any other for demand
        }

        @Override
        public void onWebSocketPong(ByteBuffer payload) {
            client.demand();
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            WebSocket ws = moshi;
            if (ws != null && !ws.isOutputClosed()) {
                // The JDK sends 1000 or 3000-4999; other codes (1001 going away, …) end the chat normally.
                int code = statusCode == 1000 || statusCode >= 3000 && statusCode <= 4999 ? statusCode : 1000;
                ws.sendClose(code, reason == null ? "" : reason);
            }
            release();
            callback.succeed();
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            WebSocket ws = moshi;
            if (ws != null) ws.abort();
            release();
        }

        private void broken(Throwable error) {
            log.debug("/api/chat relay broke", error);
            WebSocket ws = moshi;
            if (ws != null) ws.abort();
            Session s = client;
            if (s != null && s.isOpen()) s.close(StatusCode.SERVER_ERROR, "the chat connection broke", Callback.NOOP);
            release();
        }

        private void release() {
            if (released.compareAndSet(false, true)) admission.release(caller);
        }

        /** moshi-server's side: each frame (or fragment) passed to the client before the next is asked for. */
        private final class MoshiSide implements WebSocket.Listener {
            @Override
            public void onOpen(WebSocket webSocket) {
                webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                CompletableFuture<Void> sent = new CompletableFuture<>();
                client.sendPartialBinary(data, last, forwarded(webSocket, sent));
                return sent; // the JDK reuses the buffer once this completes
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                CompletableFuture<Void> sent = new CompletableFuture<>();
                client.sendPartialText(data.toString(), last, forwarded(webSocket, sent));
                return sent;
            }

            private Callback forwarded(WebSocket webSocket, CompletableFuture<Void> sent) {
                return Callback.from(() -> {
                    sent.complete(null);
                    webSocket.request(1);
                }, error -> {
                    sent.complete(null);
                    broken(error);
                });
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                Session s = client;
                // No status from moshi (1005) is passed on as none; any other code as it came.
                if (s != null && s.isOpen()) s.close(statusCode, reason, Callback.NOOP);
                release();
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                log.warn("/api/chat: the connection to moshi-server's chat at {} broke: {}", safeUrl(),
                        error.toString());
                Session s = client;
                if (s != null && s.isOpen()) {
                    s.close(StatusCode.SERVER_ERROR, "the connection to moshi-server's chat broke", Callback.NOOP);
                }
                release();
            }
        }
    }
}
