package dev.voxgate.cli;

import dev.voxgate.api.EngineContext;
import dev.voxgate.server.VoxgateServer;
import dev.voxgate.server.config.ServerConfig;
import dev.voxgate.server.config.Settings;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.engine.EngineStatus;
import dev.voxgate.server.logging.LoggingSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code voxgate serve}: environment variables first, then {@code VOXGATE_CONFIG}'s file, flags last. */
@Command(name = "serve",
        description = "Start the HTTP/WebSocket server (configuration: environment variables, see README).")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", description = "Overrides PORT (default 8080; 0 picks a free port).")
    Integer port;
    @Option(names = "--host", description = "Overrides HOST (default 0.0.0.0).")
    String host;
    @Option(names = "--engine", description = "Overrides ENGINE, the default engine (default vosk).")
    String engine;
    @Option(names = "--config",
            description = "A properties file of settings (same names as the environment variables).")
    String configFile;

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = new HashMap<>();
        if (port != null) flags.put("PORT", port.toString());
        if (host != null) flags.put("HOST", host);
        if (engine != null) flags.put("ENGINE", engine);
        if (configFile != null) flags.put("VOXGATE_CONFIG", configFile);
        Settings settings = Settings.load(System.getenv(), flags);
        ServerConfig config = ServerConfig.from(settings);
        LoggingSetup.configure(config.logLevel(), config.logFormat());
        EngineRegistry engines = EngineRegistry.discover(config.defaultEngine(),
                new EngineContext(settings.asMap(), config.cacheDir()));
        if (engines.unconfigured().containsKey(config.defaultEngine())) {
            throw new UserException("ENGINE=" + config.defaultEngine() + " is installed but not configured: set "
                    + engines.unconfigured().get(config.defaultEngine()) + " (docs/engines.md)");
        }
        if (engines.status(config.defaultEngine()).isEmpty()) {
            throw new UserException("ENGINE=" + config.defaultEngine() + " is not an installed engine; installed: "
                    + engines.all().stream().map(s -> s.id()).toList());
        }
        if (engines.status(engines.defaultFileEngine()).isEmpty()) {
            throw new UserException("FILE_ENGINE=" + engines.defaultFileEngine()
                    + " is not an installed engine; installed: "
                    + engines.all().stream().map(s -> s.id()).toList());
        }
        VoxgateServer server;
        try {
            server = VoxgateServer.start(config, engines);
        } catch (UncheckedIOException e) { // DATA_DIR, the job database or the dashboard port cannot be used
            engines.close();
            String cause = e.getCause().getMessage();
            throw new UserException(cause == null || e.getMessage().contains(cause) ? e.getMessage()
                    : e.getMessage() + ": " + cause);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "voxgate-shutdown"));
        // A default engine that cannot load is a configuration error: say why and stop, rather than serve 503s forever.
        engines.awaitLoaded(30, TimeUnit.MINUTES);
        if (engines.status(config.defaultEngine()).orElseThrow() instanceof EngineStatus.Failed failed) {
            throw new UserException("the default engine '" + failed.id() + "' failed to load: " + failed.detail());
        }
        stopped.await();
        return 0;
    }
}
