package dev.voxgate.bench;

import dev.voxgate.api.EngineContext;
import dev.voxgate.server.VoxgateServer;
import dev.voxgate.server.config.ServerConfig;
import dev.voxgate.server.config.Settings;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.logging.LoggingSetup;
import dev.voxgate.testkit.FakeEngine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The server as the benchmark runs it in its own process: the product's {@link VoxgateServer},
 * configured from the environment like {@code voxgate serve}, plus the {@code noop} engine (a
 * {@link FakeEngine} that costs nothing) when {@code ENGINE=noop}, to measure the protocol path alone.
 */
public final class BenchServer {
    public static final String NOOP = "noop";

    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.load(System.getenv(), Map.of());
        ServerConfig config = ServerConfig.from(settings);
        LoggingSetup.configure(config.logLevel(), config.logFormat());
        EngineRegistry engines = NOOP.equals(config.defaultEngine())
                ? EngineRegistry.of(NOOP, List.of(FakeEngine.builder(NOOP).finalEverySeconds(2).build()))
                : EngineRegistry.discover(config.defaultEngine(), new EngineContext(settings.asMap(), config.cacheDir()));
        VoxgateServer server = VoxgateServer.start(config, engines);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
