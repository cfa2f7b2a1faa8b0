package dev.voxgate.server.metrics;

import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * {@code voxgate_http_server_requests_seconds{method,route,status}}: every HTTP answer (WebSocket sessions have
 * their own metrics). {@code route} is the matched route's template ({@code /api/jobs/{id}}), never the path a
 * client sent, so a stranger cannot grow the label set: {@code static} for the page's files, {@code unmatched}
 * for anything else.
 */
public final class HttpMetrics implements RequestLogger {
    private final MeterRegistry registry;

    public HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(Context ctx, Float executionTimeMs) {
        Timer.builder("voxgate.http.server.requests").description("HTTP requests by route template and status")
                .tag("method", method(ctx)).tag("route", route(ctx)).tag("status", Integer.toString(ctx.statusCode()))
                .serviceLevelObjectives(Buckets.HTTP).register(registry)
                .record(Math.round(executionTimeMs.doubleValue() * 1e6), TimeUnit.NANOSECONDS);
    }

    static String route(Context ctx) {
        Endpoint matched = ctx.endpoints().lastHttpEndpoint();
        if (matched != null) return matched.path;
        return ctx.statusCode() == 404 || !"GET".equals(ctx.method().name()) ? "unmatched" : "static";
    }

    private static String method(Context ctx) {
        String m = ctx.method().name();
        return switch (m) {
            case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" -> m;
            default -> "other";
        };
    }
}
