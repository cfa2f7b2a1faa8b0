package dev.voxgate.server.ops;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.jobs.storage.SpoolingBlobStore;
import dev.voxgate.jobs.storage.Storage;
import dev.voxgate.server.engine.EngineFallback;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.engine.EngineStatus;
import dev.voxgate.server.guard.Caller;
import dev.voxgate.server.session.SessionManager;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** {@code /health}, {@code /ready}, {@code /metrics}, {@code /api/build_info}, {@code /api/modules_info}. */
public final class OpsRoutes {
    private final EngineRegistry engines;
    private final EngineFallback fallback;
    private final SessionManager sessions;
    private final PrometheusMeterRegistry metrics;
    private final BuildInfo build;
    private final List<Dependency> dependencies = new CopyOnWriteArrayList<>();
    private volatile Storage storage;

    private record Dependency(String name, BooleanSupplier reachable) {
    }

    public OpsRoutes(EngineRegistry engines, SessionManager sessions, PrometheusMeterRegistry metrics,
            BuildInfo build) {
        this(engines, sessions, metrics, build, EngineFallback.none(engines));
    }

    public OpsRoutes(EngineRegistry engines, SessionManager sessions, PrometheusMeterRegistry metrics,
            BuildInfo build, EngineFallback fallback) {
        this.fallback = fallback;
        this.engines = engines;
        this.sessions = sessions;
        this.metrics = metrics;
        this.build = build;
    }

    /**
     * Something the server needs besides its engines (the job database): {@code /ready} lists it as
     * {@code up} or {@code down}, and answers 503 while it is down. {@code reachable} is called on
     * every {@code /ready} request, so it must be quick.
     */
    public void addDependency(String name, BooleanSupplier reachable) {
        dependencies.add(new Dependency(name, reachable));
    }

    /**
     * The storage {@code /ready} reports: {@code "storage":{"backend","state","spooledFiles","spoolBytes",
     * "spoolMaxBytes"}}. S3 being down does not make the server unready (files wait in the spool, nothing is lost);
     * a full spool does, since archiving sessions and uploads are then refused.
     */
    public void addStorage(Storage s) {
        this.storage = s;
    }

    public void register(RoutesConfig routes) {
        routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
        routes.get("/ready", this::ready);
        routes.get("/metrics",
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        routes.get("/api/build_info", ctx -> ctx.json(buildInfo(authenticated(ctx))));
        routes.get("/api/modules_info", ctx -> ctx.json(modulesInfo(authenticated(ctx))));
    }

    /**
     * What {@code /ready} answers 200 to: the default engine (or its fallback) serving, every dependency reachable,
     * the spool not full, and the server not shutting down. Quick (the dependencies' checks are).
     */
    public boolean isReady() {
        return check().ready();
    }

    private record Check(boolean ready, Map<String, String> deps, Map<String, Object> storage) {
    }

    private Check check() {
        Map<String, String> deps = new LinkedHashMap<>();
        boolean depsUp = true;
        for (Dependency d : dependencies) {
            boolean up = d.reachable().getAsBoolean();
            deps.put(d.name(), up ? "up" : "down");
            depsUp &= up;
        }
        Storage st = storage;
        Map<String, Object> storageView = new LinkedHashMap<>();
        if (st != null) {
            boolean full = st.spool().isFull();
            storageView.put("backend", st.remote().isPresent() ? "s3" : "local");
            storageView.put("state", full ? "spool_full"
                    : st.remote().map(r -> r.state() == SpoolingBlobStore.State.UP ? "up" : "down").orElse("up"));
            st.remote().ifPresent(r -> storageView.put("spooledFiles", r.pendingCount()));
            storageView.put("spoolBytes", st.spool().usedBytes());
            storageView.put("spoolMaxBytes", st.spool().maxBytes());
            depsUp &= !full;
        }
        // With ENGINE_FALLBACK, sessions asking for a default engine that is down are served by the next engine.
        boolean engineUp = engines.isDefaultReady() && !fallback.isCoolingOff(engines.defaultEngine())
                || fallback.isConfigured() && fallback.canServe(engines.defaultEngine());
        return new Check(engineUp && depsUp && !sessions.isShuttingDown(), deps, storageView);
    }

    private void ready(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        Check check = check();
        boolean ready = check.ready();
        Map<String, String> deps = check.deps();
        Map<String, Object> storageView = check.storage();
        body.put("status", ready ? "ready" : sessions.isShuttingDown() ? "shutting_down" : "not_ready");
        body.put("defaultEngine", engines.defaultEngine());
        Map<String, String> parts = new LinkedHashMap<>();
        for (EngineStatus s : engines.all()) parts.put(s.id(), stateName(s));
        body.put("engines", parts);
        if (fallback.isConfigured()) body.put("fallback", fallback.chain());
        if (!deps.isEmpty()) body.put("dependencies", deps);
        if (!storageView.isEmpty()) body.put("storage", storageView);
        ctx.status(ready ? 200 : 503).json(body);
    }

    /**
     * Only a caller with a key sees the JVM and where models live on disk: a stranger learns less to aim at. An open
     * server has no such caller, so it never shows them.
     */
    private static boolean authenticated(Context ctx) {
        return Caller.of(ctx).keyId() != null;
    }

    Map<String, Object> buildInfo(boolean full) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "voxgate");
        m.put("version", build.version());
        m.put("commit", build.commit());
        m.put("buildTime", build.buildTime());
        if (full) {
            m.put("java", Map.of("version", Runtime.version().toString(), "vendor",
                    System.getProperty("java.vendor", "unknown")));
        }
        return m;
    }

    Map<String, Object> modulesInfo(boolean full) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (EngineStatus s : engines.all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("status", stateName(s));
            m.put("default", s.id().equals(engines.defaultEngine()));
            m.put("capabilities", capabilities(s.capabilities()));
            switch (s) {
                case EngineStatus.Ready r when !r.engine().isReady() || fallback.isCoolingOff(s.id()) -> {
                    m.put("description", r.engine().descriptor().description());
                    m.put("version", r.engine().descriptor().version());
                    m.put("model", full ? r.engine().descriptor().model() : withoutPaths(r.engine().descriptor()
                            .model()));
                    m.put("error", fallback.isCoolingOff(s.id())
                            ? "failed repeatedly; held down for ENGINE_COOLOFF_MS (circuit breaker open)"
                            : r.engine().unavailableReason().orElse("not answering"));
                }
                case EngineStatus.Ready r -> {
                    m.put("description", r.engine().descriptor().description());
                    m.put("version", r.engine().descriptor().version());
                    m.put("model", full ? r.engine().descriptor().model() : withoutPaths(r.engine().descriptor()
                            .model()));
                }
                case EngineStatus.Failed f -> m.put("error", "failed to load; " + f.reason());
                case EngineStatus.Loading l -> { }
            }
            if (fallback.isConfigured()) m.put("breaker", fallback.breakerState(s.id()));
            list.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("defaultEngine", engines.defaultEngine());
        out.put("defaultFileEngine", engines.defaultFileEngine());
        out.put("engines", list);
        if (fallback.isConfigured()) out.put("fallback", fallback.chain());
        if (!engines.unconfigured().isEmpty()) out.put("notConfigured", engines.unconfigured());
        out.put("sessions", Map.of("active", sessions.activeSessions()));
        return out;
    }

    /** Model facts minus anything that names a place on disk. */
    static Map<String, String> withoutPaths(Map<String, String> model) {
        Map<String, String> out = new LinkedHashMap<>();
        model.forEach((k, v) -> {
            if (v != null && v.indexOf('/') < 0 && v.indexOf('\\') < 0) out.put(k, v);
        });
        return out;
    }

    private static Map<String, Object> capabilities(EngineCapabilities c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("streaming", c.streaming());
        m.put("partials", c.partials());
        m.put("wordTimings", c.wordTimings());
        m.put("sampleRates", c.sampleRates());
        m.put("preferredSampleRate", c.preferredSampleRate());
        m.put("languages", c.languages());
        return m;
    }

    private String stateName(EngineStatus s) {
        return switch (s) {
            case EngineStatus.Ready r when !r.engine().isReady() || fallback.isCoolingOff(s.id()) -> "down";
            case EngineStatus.Ready r -> "ready";
            case EngineStatus.Loading l -> "loading";
            case EngineStatus.Failed f -> "failed";
        };
    }
}
