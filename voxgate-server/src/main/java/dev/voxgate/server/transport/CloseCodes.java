package dev.voxgate.server.transport;

import dev.voxgate.server.error.ErrorCode;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The native protocol's WebSocket close codes: which close follows each {@code error} a
 * {@code /v1/listen} client can receive (docs/protocol.md has the same table; a test keeps them in
 * step). The session layer only names the {@link ErrorCode}; this is the one place that knows the
 * numbers, so another protocol adapter can map the same reasons its own way.
 */
public final class CloseCodes {
    /** The stream ended as asked: every final was sent. */
    public static final int NORMAL = 1000;

    private static final Map<ErrorCode, Integer> STREAM;

    static {
        Map<ErrorCode, Integer> m = new EnumMap<>(ErrorCode.class);
        m.put(ErrorCode.MALFORMED_MESSAGE, 1007);
        m.put(ErrorCode.UNKNOWN_MESSAGE_TYPE, 1008);
        m.put(ErrorCode.AUDIO_AFTER_END_STREAM, 1008);
        m.put(ErrorCode.SLOW_CLIENT, 1008);
        m.put(ErrorCode.FRAME_TOO_LARGE, 1009);
        m.put(ErrorCode.ENGINE_FAILURE, 1011);
        m.put(ErrorCode.INTERNAL_ERROR, 1011);
        m.put(ErrorCode.SERVER_SHUTDOWN, 1001);
        m.put(ErrorCode.OVER_CAPACITY, 1013);
        m.put(ErrorCode.ENGINE_UNAVAILABLE, 1013);
        m.put(ErrorCode.STORAGE_FULL, 1013);
        m.put(ErrorCode.CONNECTION_TIMEOUT, 4001);
        m.put(ErrorCode.INACTIVITY_TIMEOUT, 4002);
        m.put(ErrorCode.TRANSCRIBE_TIMEOUT, 4003);
        m.put(ErrorCode.INVALID_PARAMETER, 4400);
        m.put(ErrorCode.UNSUPPORTED_LANGUAGE, 4400);
        m.put(ErrorCode.UNKNOWN_ENGINE, 4404);
        STREAM = Collections.unmodifiableMap(m);
    }

    private CloseCodes() {
    }

    /** Every code a streaming client can receive. */
    public static Set<ErrorCode> streamCodes() {
        return STREAM.keySet();
    }

    /**
     * The close code that follows {@code code}. A code streams do not send today still gets a close
     * that fits its kind, so a new use never fails on the wire; the protocol test flags it as
     * undocumented.
     */
    public static int of(ErrorCode code) {
        Integer known = STREAM.get(code);
        if (known != null) return known;
        return switch (code.kind()) {
            case BAD_REQUEST, BAD_FILE, UNSUPPORTED_MEDIA -> 4400;
            case NOT_FOUND, METHOD_NOT_ALLOWED, GONE -> 4404;
            case UNAUTHORIZED -> 4401;
            case FORBIDDEN -> 4403;
            case PROTOCOL, CONFLICT -> 1008;
            case TOO_LARGE -> 1009;
            case TIMEOUT -> 4001;
            case UNAVAILABLE, OVERLOADED, INSUFFICIENT_STORAGE -> 1013;
            case SERVER_FAULT -> 1011;
        };
    }
}
