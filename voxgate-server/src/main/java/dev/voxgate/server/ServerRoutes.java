package dev.voxgate.server;

import dev.voxgate.server.archive.ArchiveRoutes;
import dev.voxgate.server.config.ServerConfig;
import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.error.HttpErrorMapper;
import dev.voxgate.server.guard.Caller;
import dev.voxgate.server.guard.Guard;
import dev.voxgate.server.jobs.JobRoutes;
import dev.voxgate.server.metrics.HttpMetrics;
import dev.voxgate.server.openai.OpenAiRoutes;
import dev.voxgate.server.ops.BuildInfo;
import dev.voxgate.server.ops.OpsRoutes;
import dev.voxgate.server.session.SessionManager;
import dev.voxgate.server.transport.ChatRelay;
import dev.voxgate.server.transport.ListenEndpoint;
import dev.voxgate.server.upload.RequestBodies;
import dev.voxgate.server.web.BrowserClientFiles;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

/**
 * The route table: which path goes to which part, and how errors look on each. A function of the
 * {@link ServerComponents}, so {@code voxgate serve} and the tests run the same table; a server built
 * without jobs simply has no {@code /api/jobs}.
 */
public final class ServerRoutes {
    private static final Logger log = LoggerFactory.getLogger(ServerRoutes.class);
    /** The native streaming protocol, and the older path some clients of the deployments before Voxgate use. */
    public static final List<String> LISTEN_PATHS = List.of("/v1/listen", "/api/asr");
    /** Text frames are small JSON control messages; anything near this is not one. */
    private static final int MAX_TEXT_FRAME_BYTES = 64 * 1024;
    /** Jetty's own idle timeout only backs up the session's limits, which come first and say why. */
    private static final Duration IDLE_MARGIN = Duration.ofSeconds(30);

    private ServerRoutes() {
    }

    public static void configure(JavalinConfig cfg, ServerComponents c) {
        configure(cfg, c, opsRoutes(c));
    }

    /** {@code /health}, {@code /ready} and the rest, checking what {@code c} has (its job database, its storage). */
    public static OpsRoutes opsRoutes(ServerComponents c) {
        OpsRoutes ops = new OpsRoutes(c.engines(), c.sessions(), c.metrics(), BuildInfo.load(),
                c.selector().fallback());
        c.jobs().ifPresent(jobs -> ops.addDependency("jobDatabase", jobs::isDatabaseReachable));
        ops.addStorage(c.storage());
        return ops;
    }

    /** The routes, with {@code ops} serving the operators' ones (the server also asks it whether it is ready). */
    public static void configure(JavalinConfig cfg, ServerComponents c, OpsRoutes ops) {
        ServerConfig config = c.config();
        ChatRelay chat = ChatRelay.from(config, c.sessions().admission());
        cfg.startup.showJavalinBanner = false;
        cfg.concurrency.useVirtualThreads = true;
        cfg.jetty.threadPool = JettyThreads.create();
        cfg.jetty.host = config.host();
        cfg.jetty.port = config.port();
        cfg.jetty.modifyServletContextHandler(handler -> {
            // Before Javalin and the WebSocket servlets alike: an upgrade never reaches a Javalin handler.
            handler.addFilter(new FilterHolder(c.guard().filter()), "/*", EnumSet.of(DispatcherType.REQUEST));
            for (String path : LISTEN_PATHS) {
                handler.addServlet(new ServletHolder(new ListenServlet(config, c.sessions())), path);
            }
            // moshi-server's chat, relayed; without KYUTAI_CHAT_URL the route below answers 404 saying so.
            if (chat.enabled()) handler.addServlet(new ServletHolder(chat.servlet()), ChatRelay.PATH);
        });
        if (!chat.enabled()) {
            cfg.routes.get(ChatRelay.PATH, ctx -> HttpErrorMapper.forPath(ctx.path()).send(ctx, ErrorCode.NOT_FOUND,
                    ChatRelay.OFF));
        }
        ops.register(cfg.routes);
        new ArchiveRoutes(c.archive()).register(cfg.routes);
        c.guard().register(cfg.routes);
        new OpenAiRoutes(c.files(), c.selector(), c.uploads(), c.engines()).register(cfg.routes);
        c.jobs().ifPresent(jobs -> new JobRoutes(jobs.jobs(), c.uploads(), c.selector(), c.files(), config.jobs())
                .register(cfg.routes));
        BrowserClientFiles.register(cfg.staticFiles);
        cfg.requestLogger.http(new HttpMetrics(c.metrics()));
        cfg.http.prefer405over404 = true;
        // Errors on /v1/* have OpenAI's shape (its SDKs read them), elsewhere the native one.
        cfg.routes.error(HttpStatus.NOT_FOUND, ctx -> {
            if (HttpErrorMapper.hasOwnBody(ctx)) return; // a route's own 404 (e.g. no such job) says more
            HttpErrorMapper.forPath(ctx.path()).send(ctx, ErrorCode.NOT_FOUND, noRoute(ctx));
        });
        cfg.routes.error(HttpStatus.METHOD_NOT_ALLOWED, ctx -> {
            if (HttpErrorMapper.hasOwnBody(ctx)) return;
            HttpErrorMapper.forPath(ctx.path()).send(ctx, ErrorCode.METHOD_NOT_ALLOWED,
                    ctx.method() + " is not allowed on this path");
        });
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            log.error("request {} {} failed", ctx.method(), ctx.path(), e);
            HttpErrorMapper.forPath(ctx.path()).send(ctx, ErrorCode.INTERNAL_ERROR,
                    "the server hit an internal error; its log has the details. Try again");
        });
        // An answer given before the body was read (413, 415, 404, …) must not break the client's upload.
        cfg.routes.after(RequestBodies::discardUnread);
    }

    /** Upgrades {@code /v1/listen} to the native protocol with explicit demand (see ListenEndpoint). */
    private static final class ListenServlet extends JettyWebSocketServlet {
        private final transient ServerConfig config;
        private final transient SessionManager sessions;

        ListenServlet(ServerConfig config, SessionManager sessions) {
            this.config = config;
            this.sessions = sessions;
        }

        @Override
        protected void configure(JettyWebSocketServletFactory factory) {
            // Frames up to twice the limit reach the session, which answers with a clear error; beyond that Jetty
            // closes with 1009.
            factory.setMaxBinaryMessageSize(Math.max(2L * config.maxFrameBytes(), config.maxFrameBytes() + 65536L));
            factory.setMaxTextMessageSize(MAX_TEXT_FRAME_BYTES);
            factory.setIdleTimeout(config.inactivityTimeout().plus(config.transcribeTimeout()).plus(IDLE_MARGIN));
            factory.setCreator((request, response) -> {
                // A browser that sent its key as ["token", KEY] needs "token" chosen, or it drops the connection.
                if (request.getSubProtocols().contains(Guard.KEY_SUBPROTOCOL)) {
                    response.setAcceptedSubProtocol(Guard.KEY_SUBPROTOCOL);
                }
                Caller caller = Caller.of(request.getHttpServletRequest());
                String peer = describe(request.getRemoteSocketAddress());
                // Behind a trusted proxy the log names the client, and the proxy it came through.
                String remote = peer.startsWith(caller.clientIp() + ":") ? peer
                        : caller.clientIp() + " via " + peer;
                return new ListenEndpoint(sessions, request.getParameterMap(), remote, caller.limitIdentity());
            });
        }
    }

    /** OpenAI's words for a path it does not serve, so its clients recognise them; plain words elsewhere. */
    static String noRoute(Context ctx) {
        // The path is not echoed back: an answer should not carry what a stranger put in the URL.
        return ctx.path().startsWith("/v1/") ? "Invalid URL (" + ctx.method() + ")"
                : "no route for " + ctx.method() + " on this path";
    }

    private static String describe(SocketAddress address) {
        return address instanceof InetSocketAddress a ? a.getAddress().getHostAddress() + ":" + a.getPort()
                : String.valueOf(address);
    }
}
