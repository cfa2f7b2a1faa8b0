package dev.voxgate.server.error;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes an {@link ApiError} as an HTTP answer in one body shape. {@link #NATIVE} is Voxgate's own
 * {@code {"error":{"code","message","param"}}}; {@link #OPENAI} is OpenAI's
 * {@code {"error":{"message","type","param","code"}}}, used on every {@code /v1/*} HTTP route so
 * OpenAI's SDKs read the errors they expect. Both take the status from the code's {@link ErrorCode.Kind}
 * (OpenAI's shape keeps OpenAI's own habit of 400 for any unusable file).
 */
public enum HttpErrorMapper {
    NATIVE {
        @Override
        Map<String, Object> body(ApiError e) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", e.code().code());
            error.put("message", e.message());
            if (e.param() != null) error.put("param", e.param());
            return Map.of("error", error);
        }
    },
    OPENAI {
        @Override
        Map<String, Object> body(ApiError e) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("message", e.message());
            error.put("type", switch (e.code().kind()) {
                case SERVER_FAULT, UNAVAILABLE, OVERLOADED, INSUFFICIENT_STORAGE -> "server_error";
                default -> "invalid_request_error";
            });
            error.put("param", e.param());
            error.put("code", e.code().code());
            return Map.of("error", error);
        }

        /**
         * OpenAI answers 400 for every file it cannot use, a format it does not take included; its SDKs expect that.
         */
        @Override
        public int status(ErrorCode code) {
            return code.kind() == ErrorCode.Kind.UNSUPPORTED_MEDIA ? 400 : super.status(code);
        }
    };

    private static final String OWN_BODY = "voxgate.ownErrorBody";
    private static final ObjectMapper JSON = new ObjectMapper();

    abstract Map<String, Object> body(ApiError e);

    /** The HTTP status for a code, the same on every route of this shape. */
    public int status(ErrorCode code) {
        return switch (code.kind()) {
            case BAD_REQUEST, BAD_FILE, PROTOCOL -> 400;
            case NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case CONFLICT -> 409;
            case GONE -> 410;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA -> 415;
            case TIMEOUT -> 408;
            case OVERLOADED -> 429;
            case INSUFFICIENT_STORAGE -> 507;
            case UNAVAILABLE -> 503;
            case SERVER_FAULT -> 500;
        };
    }

    public void send(Context ctx, ApiError e) {
        ctx.attribute(OWN_BODY, Boolean.TRUE);
        if (!e.code().retryable()) ctx.header("x-should-retry", "false");
        ctx.status(status(e.code())).json(body(e));
    }

    public void send(Context ctx, ErrorCode code, String message) {
        send(ctx, ApiError.of(code, message));
    }

    /**
     * The same answer written straight to the servlet response, for the guard that runs before any route (and
     * before a WebSocket upgrade, which never reaches a route).
     */
    public void send(HttpServletResponse response, ApiError e) throws IOException {
        if (!e.code().retryable()) response.setHeader("x-should-retry", "false");
        response.setStatus(status(e.code()));
        response.setContentType("application/json");
        response.getOutputStream().write(JSON.writeValueAsBytes(body(e)));
    }

    /** Whether a route already wrote its own error, so a server-wide 404/405 fallback must not replace it. */
    public static boolean hasOwnBody(Context ctx) {
        return Boolean.TRUE.equals(ctx.attribute(OWN_BODY));
    }

    /** The mapper for a path: OpenAI's shape under {@code /v1/}, the native one elsewhere. */
    public static HttpErrorMapper forPath(String path) {
        return path.startsWith("/v1/") ? OPENAI : NATIVE;
    }
}
