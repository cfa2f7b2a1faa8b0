package dev.voxgate.server.guard;

import io.javalin.http.Handler;

/**
 * Test hook for what the guard establishes before any route runs: which key a request comes from.
 * Lives in the guard's package because {@link Caller#ATTRIBUTE} is not for routes to set.
 */
public final class TestCallers {
    private TestCallers() {
    }

    /**
     * A before-handler: a request with {@code header} comes from the API key of that id; one without it
     * is left as on a server running open (no key, every job visible).
     */
    public static Handler keyFromHeader(String header) {
        return ctx -> {
            String keyId = ctx.header(header);
            if (keyId != null) ctx.attribute(Caller.ATTRIBUTE, new Caller(keyId, ctx.ip()));
        };
    }
}
