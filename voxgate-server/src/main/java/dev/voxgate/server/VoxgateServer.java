package dev.voxgate.server;

import dev.voxgate.server.config.ServerConfig;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.ops.OpsRoutes;
import dev.voxgate.server.ops.SystemdNotifier;
import dev.voxgate.server.session.SessionManager;
import dev.voxgate.server.session.Ticker;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/**
 * The Voxgate HTTP and WebSocket server: the {@link ServerComponents} behind the {@link ServerRoutes}
 * table, on Jetty. Start with {@link #start}; {@link #close} drains sessions and stops.
 */
public final class VoxgateServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VoxgateServer.class);

    private final ServerComponents parts;
    private final Javalin app;
    private final OpsRoutes ops;
    private volatile Optional<SystemdNotifier> systemd = Optional.empty();
    private volatile boolean closed;

    private VoxgateServer(ServerComponents parts) {
        this.parts = parts;
        this.ops = ServerRoutes.opsRoutes(parts);
        this.app = Javalin.create(cfg -> ServerRoutes.configure(cfg, parts, ops));
    }

    /** Starts on the configured host and port with every part; engines keep loading in the background. */
    public static VoxgateServer start(ServerConfig config, EngineRegistry engines) {
        return start(ServerComponents.create(config, engines));
    }

    public static VoxgateServer start(ServerConfig config, EngineRegistry engines, Ticker ticker) {
        return start(ServerComponents.create(config, engines, ticker, Clock.systemUTC(),
                ServerComponents.Jobs.WITH_JOBS));
    }

    /** Starts the given parts (tests choose theirs, e.g. no job database for a protocol test). */
    public static VoxgateServer start(ServerComponents parts) {
        VoxgateServer server = new VoxgateServer(parts);
        server.app.start();
        // Under systemd (Type=notify): READY=1 once /ready would answer 200, then the watchdog while it would.
        server.systemd = SystemdNotifier.fromEnvironment(System.getenv(), server.ops::isReady)
                .map(SystemdNotifier::start);
        ServerConfig config = parts.config();
        log.info("Voxgate listening on http://{}:{} (default engine {}, max {} sessions, {} decoder threads{})",
                config.host(), server.port(), parts.engines().defaultEngine(), config.maxSessions(),
                config.decoderThreads(), parts.jobs().isPresent() ? "" : ", no job queue");
        return server;
    }

    /** Whether {@code /ready} would answer 200 now. */
    public boolean isReady() {
        return ops.isReady();
    }

    public int port() {
        return app.port();
    }

    public EngineRegistry engines() {
        return parts.engines();
    }

    public SessionManager sessions() {
        return parts.sessions();
    }

    public PrometheusMeterRegistry metrics() {
        return parts.metrics();
    }

    /** Graceful stop: refuses new sessions, lets open ones send their finals (up to SHUTDOWN_GRACE_MS), then stops. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        systemd.ifPresent(SystemdNotifier::stopping);
        log.info("shutting down: draining {} sessions", parts.sessions().activeSessions());
        parts.drain();
        app.stop();
        parts.release();
        systemd.ifPresent(SystemdNotifier::close);
    }
}
