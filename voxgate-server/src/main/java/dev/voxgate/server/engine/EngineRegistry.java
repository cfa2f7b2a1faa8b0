package dev.voxgate.server.engine;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.SpeechEngine;
import dev.voxgate.api.SpeechEngineProvider;
import dev.voxgate.api.StreamingEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The engines this process offers, by id. Providers are found with {@link ServiceLoader} (or
 * given directly, in tests) and loaded in the background so the server answers {@code /health}
 * while models load; {@code /ready} turns 200 once the default engine is ready. A provider that
 * fails to load is kept as {@link EngineStatus.Failed} with its message, and the others still work.
 *
 * <p>Each provider is created with {@linkplain #contextFor only its own settings}, never the whole
 * process's configuration.
 */
public final class EngineRegistry implements AutoCloseable {
    /** Settings outside an engine's prefix that it is given by name (see {@link #contextFor}). */
    private static final Map<String, List<String>> SHARED = Map.of("aws-transcribe", List.of("AWS_REGION"));

    private static final Logger log = LoggerFactory.getLogger(EngineRegistry.class);

    /** Engines preferred for whole files, most accurate first, when {@code FILE_ENGINE} is not set. */
    public static final List<String> ACCURATE_FILE_ENGINES = List.of("whisper");

    private final String defaultEngine;
    /** {@code FILE_ENGINE}, or null to pick the most accurate installed engine. */
    private volatile String fileEngine;
    private final Map<String, EngineStatus> engines = new ConcurrentHashMap<>();
    private final List<String> order = new ArrayList<>();
    /** Installed engines left out because they lack settings: id → the settings missing. */
    private final Map<String, String> unconfigured = new LinkedHashMap<>();
    /** {@code ENGINE_FALLBACK}: engine ids in order, empty for none. */
    private volatile List<String> fallback = List.of();
    private final CountDownLatch loaded;
    /** Completes when that engine has finished loading, either way; composed engines wait on it. */
    private final Map<String, CompletableFuture<Void>> settled = new ConcurrentHashMap<>();
    /** Whether {@link #close()} closes the engines: only those this registry loaded itself. */
    private final boolean ownsEngines;

    private EngineRegistry(String defaultEngine, int count, boolean ownsEngines) {
        this.defaultEngine = defaultEngine;
        this.fileEngine = null;
        this.loaded = new CountDownLatch(count);
        this.ownsEngines = ownsEngines;
    }

    /** Discovers providers on the class path and starts loading them. */
    public static EngineRegistry discover(String defaultEngine, EngineContext context) {
        List<SpeechEngineProvider> providers = ServiceLoader.load(SpeechEngineProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        return loading(defaultEngine, providers, context);
    }

    public static EngineRegistry loading(String defaultEngine, List<SpeechEngineProvider> all,
            EngineContext context) {
        // Engines that need settings they were not given (a remote engine without its URL) are left out quietly:
        // a server that does not use them should not report a failure for them on every start.
        Map<String, String> unconfigured = new LinkedHashMap<>();
        List<SpeechEngineProvider> providers = new ArrayList<>();
        for (SpeechEngineProvider p : all) {
            Optional<String> missing = p.missingSettings(contextFor(p, context));
            if (missing.isPresent()) {
                unconfigured.put(p.id(), missing.get());
                log.info("engine {} is installed but not configured ({} not set); it is left out", p.id(),
                        missing.get());
            } else {
                providers.add(p);
            }
        }
        EngineRegistry r = new EngineRegistry(defaultEngine, providers.size(), true);
        r.unconfigured.putAll(unconfigured);
        r.fileEngine = context.setting("FILE_ENGINE").map(v -> v.toLowerCase(Locale.ROOT)).orElse(null);
        r.fallback = parseFallback(context.setting("ENGINE_FALLBACK").orElse(""));
        for (SpeechEngineProvider p : providers) {
            r.order.add(p.id());
            r.engines.put(p.id(), new EngineStatus.Loading(p.id(), p.capabilities()));
            r.settled.put(p.id(), new CompletableFuture<>());
        }
        EngineContext withOthers = new EngineContext(context.settings(), context.cacheDir(), r::await);
        for (SpeechEngineProvider p : providers) {
            EngineContext own = contextFor(p, withOthers);
            Thread.ofPlatform().name("voxgate-load-" + p.id()).daemon().start(() -> r.load(p, own));
        }
        return r;
    }

    /**
     * The installed engines as a catalogue, none of them loaded: what the command line checks a request
     * against (unknown id, unsupported language, the default for files) before it loads one engine itself.
     */
    public static EngineRegistry catalogue(String defaultEngine, String fileEngine,
            List<SpeechEngineProvider> providers) {
        EngineRegistry r = new EngineRegistry(defaultEngine, 0, false);
        r.fileEngine = fileEngine == null || fileEngine.isBlank() ? null : fileEngine.strip().toLowerCase(Locale.ROOT);
        for (SpeechEngineProvider p : providers) {
            r.order.add(p.id());
            r.engines.put(p.id(), new EngineStatus.Loading(p.id(), p.capabilities()));
        }
        return r;
    }

    /**
     * The context {@code provider} is created with: of {@code whole}'s settings only those whose
     * names start with the provider's {@link EngineContext#settingsPrefix prefix} ({@code VOSK_} for
     * {@code vosk}, {@code WHISPER_} for {@code whisper}, {@code VOSK_WHISPER_} for
     * {@code vosk+whisper}), with the same cache folder and engine lookup. So an engine never sees
     * {@code DATABASE_URL}, credentials or another engine's settings. The one setting shared by name
     * is in {@link #SHARED}: {@code AWS_REGION} for {@code aws-transcribe}, because it is AWS's own
     * variable for the region (the one every AWS tool reads) and not a secret. Credentials are never
     * passed: the AWS SDK reads them from its own default chain.
     */
    public static EngineContext contextFor(SpeechEngineProvider provider, EngineContext whole) {
        String prefix = EngineContext.settingsPrefix(provider.id());
        List<String> shared = SHARED.getOrDefault(provider.id(), List.of());
        Map<String, String> own = new HashMap<>();
        whole.settings().forEach((name, value) -> {
            if (name.startsWith(prefix) || shared.contains(name)) own.put(name, value);
        });
        return new EngineContext(own, whole.cacheDir(), whole.engines());
    }

    /** A registry of engines that are already loaded (tests, embedding); the caller keeps ownership of them. */
    public static EngineRegistry of(String defaultEngine, List<? extends SpeechEngine> ready) {
        EngineRegistry r = new EngineRegistry(defaultEngine, 0, false);
        for (SpeechEngine e : ready) {
            String id = e.descriptor().id();
            r.order.add(id);
            r.engines.put(id, new EngineStatus.Ready(id, e.descriptor().capabilities(), e));
        }
        return r;
    }

    private void load(SpeechEngineProvider p, EngineContext context) {
        long t0 = System.nanoTime();
        try {
            SpeechEngine engine = p.create(context);
            engines.put(p.id(), new EngineStatus.Ready(p.id(), engine.descriptor().capabilities(), engine));
            log.info("engine {} ready in {} ms", p.id(), (System.nanoTime() - t0) / 1_000_000);
        } catch (EngineException | RuntimeException | LinkageError e) {
            engines.put(p.id(), new EngineStatus.Failed(p.id(), p.capabilities(), e.getMessage()));
            log.error("engine {} failed to load: {}", p.id(), e.getMessage());
        } finally {
            loaded.countDown();
            settled.get(p.id()).complete(null);
        }
    }

    /** For composed engines (two-pass): waits for another engine of this registry to load. */
    private Optional<StreamingEngine> await(String id, Duration timeout) throws InterruptedException {
        CompletableFuture<Void> done = settled.get(id);
        if (done == null) return streaming(id);
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // never completed exceptionally
        }
        return streaming(id);
    }

    /** {@code ENGINE_FALLBACK} as ids: lower case, blanks and repeats dropped, order kept. */
    public static List<String> parseFallback(String value) {
        List<String> ids = new ArrayList<>();
        for (String part : value.split(",")) {
            String id = part.strip().toLowerCase(Locale.ROOT);
            if (!id.isEmpty() && !ids.contains(id)) ids.add(id);
        }
        return List.copyOf(ids);
    }

    /** {@code ENGINE_FALLBACK}, in order; empty when sessions do not fall back. */
    public List<String> fallback() {
        return fallback;
    }

    /** Sets the fallback chain of a registry made with {@link #of} (tests, embedding); returns this registry. */
    public EngineRegistry withFallback(List<String> ids) {
        this.fallback = List.copyOf(ids);
        return this;
    }

    /** Installed engines left out for lack of settings: id → the settings they need. */
    public Map<String, String> unconfigured() {
        return Map.copyOf(unconfigured);
    }

    /** Waits until every provider has finished loading (successfully or not). */
    public boolean awaitLoaded(long timeout, TimeUnit unit) throws InterruptedException {
        return loaded.await(timeout, unit);
    }

    public String defaultEngine() {
        return defaultEngine;
    }

    /**
     * The engine for files (jobs, {@code /v1/audio/transcriptions}) that name none: {@code FILE_ENGINE}
     * when set; else the first of {@link #ACCURATE_FILE_ENGINES} that is installed and did not fail
     * to load; else the streaming default. Files have no partials to wait for, so accuracy wins.
     */
    public String defaultFileEngine() {
        String configured = fileEngine;
        if (configured != null) return configured;
        for (String id : ACCURATE_FILE_ENGINES) {
            if (status(id).filter(s -> !(s instanceof EngineStatus.Failed)).isPresent()) return id;
        }
        return defaultEngine;
    }

    public Optional<EngineStatus> status(String id) {
        return Optional.ofNullable(engines.get(id));
    }

    public List<EngineStatus> all() {
        return order.stream().map(engines::get).toList();
    }

    /** The streaming engine with this id if it is loaded. */
    public Optional<StreamingEngine> streaming(String id) {
        return status(id)
                .flatMap(s -> s instanceof EngineStatus.Ready r && r.engine() instanceof StreamingEngine se
                        && se.isReady()
                ? Optional.of(se) : Optional.empty());
    }

    public boolean isDefaultReady() {
        return streaming(defaultEngine).isPresent();
    }

    @Override
    public void close() {
        if (!ownsEngines) return;
        Collection<EngineStatus> all = engines.values();
        for (EngineStatus s : all) {
            if (s instanceof EngineStatus.Ready r) {
                try {
                    r.engine().close();
                } catch (RuntimeException e) {
                    log.warn("closing engine {} failed: {}", r.id(), e.toString());
                }
            }
        }
    }
}
