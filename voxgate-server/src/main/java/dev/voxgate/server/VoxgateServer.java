package dev.voxgate.server;

import dev.voxgate.audio.decode.AudioFileDecoder;
import dev.voxgate.jobs.JobsBackend;
import dev.voxgate.server.config.ServerConfig;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.engine.EngineSelector;
import dev.voxgate.server.files.FileLimits;
import dev.voxgate.server.files.FileTranscription;
import dev.voxgate.server.files.JobTranscriber;
import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.error.HttpErrorMapper;
import dev.voxgate.server.jobs.JobRoutes;
import dev.voxgate.server.logging.LoggingSessionEvents;
import dev.voxgate.server.metrics.MicrometerSessionEvents;
import dev.voxgate.server.ops.BuildInfo;
import dev.voxgate.server.openai.OpenAiRoutes;
import dev.voxgate.server.ops.OpsRoutes;
import dev.voxgate.server.session.Admission;
import dev.voxgate.server.session.DecoderPool;
import dev.voxgate.server.session.SessionEvents;
import dev.voxgate.server.session.SessionLimits;
import dev.voxgate.server.session.SessionManager;
import dev.voxgate.server.session.Ticker;
import dev.voxgate.server.transport.ListenEndpoint;
import dev.voxgate.server.upload.RequestBodies;
import dev.voxgate.server.upload.UploadReceiver;
import dev.voxgate.server.web.BrowserClientFiles;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The Voxgate HTTP and WebSocket server: wires configuration, engines, sessions, routes and
 * metrics. Start with {@link #start}; {@link #close} drains sessions and stops.
 */
public final class VoxgateServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VoxgateServer.class);
    public static final List<String> LISTEN_PATHS = List.of("/v1/listen", "/api/asr");

    private final ServerConfig config;
    private final EngineRegistry engines;
    private final PrometheusMeterRegistry metrics;
    private final DecoderPool decoders;
    private final SessionManager sessions;
    private final FileTranscription files;
    private final JobsBackend jobs;
    private final UploadReceiver uploads;
    private final Javalin app;
    private volatile boolean closed;

    private VoxgateServer(ServerConfig config, EngineRegistry engines, Ticker ticker) {
        this.config = config;
        this.engines = engines;
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ClassLoaderMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
        this.decoders = new DecoderPool(config.decoderThreads());
        SessionLimits limits = new SessionLimits(config.connectionTimeout(), config.inactivityTimeout(),
                config.transcribeTimeout(), config.maxFrameBytes());
        SessionEvents events = SessionEvents.of(List.of(new MicrometerSessionEvents(metrics), new LoggingSessionEvents()));
        EngineSelector selector = new EngineSelector(engines);
        this.sessions = new SessionManager(selector, limits, new Admission(config.maxSessions()), decoders, ticker, events);
        OpsRoutes ops = new OpsRoutes(engines, sessions, metrics, BuildInfo.load());
        Optional<AudioFileDecoder> decoder = AudioFileDecoder.installed();
        if (decoder.isEmpty()) log.warn("no audio file decoder installed: file transcription endpoints will answer 503");
        this.files = new FileTranscription(decoder, new FileLimits(config.uploads().allowedFormats(),
                config.uploads().maxAudioMinutes() * 60.0), config.decoderThreads());
        Gauge.builder("voxgate.file.work.active", files, FileTranscription::active)
                .description("Files being probed or decoded now, on the voxgate-file-N threads").register(metrics);
        this.uploads = new UploadReceiver(config.uploads());
        OpenAiRoutes openAi = new OpenAiRoutes(files, selector, uploads, engines);
        try {
            this.jobs = JobsBackend.start(config.jobs(), new JobTranscriber(selector, files), java.time.Clock.systemUTC());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot set up batch jobs: " + e.getMessage(), e);
        }
        ops.addDependency("jobDatabase", jobs::isDatabaseReachable);
        JobRoutes jobRoutes = new JobRoutes(jobs.jobs(), uploads, selector, files);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.jetty.host = config.host();
            cfg.jetty.port = config.port();
            cfg.jetty.modifyServletContextHandler(handler -> {
                for (String path : LISTEN_PATHS) handler.addServlet(new ServletHolder(new ListenServlet()), path);
            });
            ops.register(cfg.routes);
            openAi.register(cfg.routes);
            jobRoutes.register(cfg.routes);
            BrowserClientFiles.register(cfg.staticFiles);
            cfg.http.prefer405over404 = true;
            // Errors on /v1/* have OpenAI's shape (its SDKs read them), elsewhere the native one.
            cfg.routes.error(HttpStatus.NOT_FOUND, ctx -> {
                if (HttpErrorMapper.hasOwnBody(ctx)) return; // a route's own 404 (e.g. no such job) says more
                HttpErrorMapper.forPath(ctx.path()).send(ctx, ErrorCode.NOT_FOUND, noRoute(ctx));
            });
            cfg.routes.error(HttpStatus.METHOD_NOT_ALLOWED, ctx -> {
                if (HttpErrorMapper.hasOwnBody(ctx)) return;
                HttpErrorMapper.forPath(ctx.path()).send(ctx, ErrorCode.METHOD_NOT_ALLOWED,
                        ctx.method() + " is not allowed on " + clip(ctx.path()));
            });
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                log.error("request {} {} failed", ctx.method(), ctx.path(), e);
                HttpErrorMapper.forPath(ctx.path()).send(ctx, ErrorCode.INTERNAL_ERROR,
                        "the server hit an internal error; its log has the details. Try again");
            });
            // An answer given before the body was read (413, 415, 404, …) must not break the client's upload.
            cfg.routes.after(RequestBodies::discardUnread);
        });
    }

    /** Starts on the configured host and port; engines keep loading in the background. */
    public static VoxgateServer start(ServerConfig config, EngineRegistry engines) {
        return start(config, engines, Ticker.SYSTEM);
    }

    public static VoxgateServer start(ServerConfig config, EngineRegistry engines, Ticker ticker) {
        VoxgateServer server = new VoxgateServer(config, engines, ticker);
        server.app.start();
        log.info("Voxgate listening on http://{}:{} (default engine {}, max {} sessions, {} decoder threads)",
                config.host(), server.port(), engines.defaultEngine(), config.maxSessions(), config.decoderThreads());
        return server;
    }

    public int port() {
        return app.port();
    }

    public EngineRegistry engines() {
        return engines;
    }

    public SessionManager sessions() {
        return sessions;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** Graceful stop: refuses new sessions, lets open ones send their finals (up to SHUTDOWN_GRACE_MS), then stops. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        log.info("shutting down: draining {} sessions", sessions.activeSessions());
        sessions.drain(config.shutdownGrace());
        jobs.close();
        files.close();
        app.stop();
        uploads.close();
        sessions.close();
        decoders.close();
        engines.close();
        metrics.close();
    }

    /** Upgrades {@code /v1/listen} to the native protocol with explicit demand (see ListenEndpoint). */
    private final class ListenServlet extends JettyWebSocketServlet {
        @Override
        protected void configure(JettyWebSocketServletFactory factory) {
            // Frames up to twice the limit reach the session, which answers with a clear error; beyond that Jetty closes with 1009.
            factory.setMaxBinaryMessageSize(Math.max(2L * config.maxFrameBytes(), config.maxFrameBytes() + 65536L));
            factory.setMaxTextMessageSize(65536);
            factory.setIdleTimeout(config.inactivityTimeout().plus(config.transcribeTimeout()).plus(Duration.ofSeconds(30)));
            factory.setCreator((request, response) ->
                    new ListenEndpoint(sessions, request.getParameterMap(), describe(request.getRemoteSocketAddress())));
        }
    }

    /** OpenAI's words for a path it does not serve, so its clients recognise them; plain words elsewhere. */
    static String noRoute(Context ctx) {
        String what = ctx.method() + " " + clip(ctx.path());
        return ctx.path().startsWith("/v1/") ? "Invalid URL (" + what + ")" : "no route for " + what;
    }

    private static String clip(String path) {
        return path.length() > 200 ? path.substring(0, 200) + "…" : path;
    }

    private static String describe(SocketAddress address) {
        return address instanceof InetSocketAddress a ? a.getAddress().getHostAddress() + ":" + a.getPort() : String.valueOf(address);
    }
}
