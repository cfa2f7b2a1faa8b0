package dev.voxgate.server;

import io.javalin.http.Context;

import java.util.Map;

/**
 * The HTTP API's error body, {@code {"error":{"code","message"}}}. A route's own error is marked,
 * so the server-wide 404/405 fallbacks do not replace it with a generic "no route".
 */
public final class HttpErrors {
    private static final String OWN_BODY = "voxgate.ownErrorBody";

    private HttpErrors() {
    }

    public static void send(Context ctx, int status, String code, String message) {
        sendBody(ctx, status, Map.of("error", Map.of("code", code, "message", message)));
    }

    public static void sendBody(Context ctx, int status, Object body) {
        ctx.attribute(OWN_BODY, Boolean.TRUE);
        ctx.status(status).json(body);
    }

    public static boolean hasOwnBody(Context ctx) {
        return Boolean.TRUE.equals(ctx.attribute(OWN_BODY));
    }
}
