package dev.voxgate.bench;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.SpeechEngineProvider;
import dev.voxgate.server.VoxgateServer;
import dev.voxgate.server.config.ServerConfig;
import dev.voxgate.server.config.Settings;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.logging.LoggingSetup;
import dev.voxgate.testkit.FakeEngine;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The server as the benchmark runs it in its own process: the product's {@link VoxgateServer},
 * configured from the environment like {@code voxgate serve}, plus the {@code noop} engine (a
 * {@link FakeEngine} that costs nothing) when {@code ENGINE=noop}, to measure the protocol path alone.
 *
 * <p>{@code BENCH_ENGINES} (a comma-separated list of engine ids, a benchmark-only setting) limits
 * the installed providers loaded, so a scenario's server holds only the models its engine needs;
 * unset, every installed engine is loaded, as {@code voxgate serve} does. The server starts
 * listening only once every engine has finished loading, so no model loads during a measurement.
 */
public final class BenchServer {
    public static final String NOOP = "noop";
    /** Benchmark-only setting: the engine ids to load (default: all installed). */
    public static final String ENGINES_SETTING = "BENCH_ENGINES";

    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.load(System.getenv(), Map.of());
        ServerConfig config = ServerConfig.from(settings);
        LoggingSetup.configure(config.logLevel(), config.logFormat());
        EngineRegistry engines;
        if (NOOP.equals(config.defaultEngine())) {
            engines = EngineRegistry.of(NOOP, List.of(FakeEngine.builder(NOOP).finalEverySeconds(2).build()));
        } else {
            String only = System.getenv(ENGINES_SETTING);
            Set<String> wanted = only == null || only.isBlank() ? Set.of()
                    : Arrays.stream(only.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                    .collect(Collectors.toSet());
            List<SpeechEngineProvider> providers = ServiceLoader.load(SpeechEngineProvider.class).stream()
                    .map(ServiceLoader.Provider::get).filter(p -> wanted.isEmpty() || wanted.contains(p.id())).toList();
            engines =
                    EngineRegistry.loading(config.defaultEngine(), providers,
                            new EngineContext(settings.asMap(), config.cacheDir()));
            engines.awaitLoaded(10, TimeUnit.MINUTES);
        }
        VoxgateServer server = VoxgateServer.start(config, engines);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
