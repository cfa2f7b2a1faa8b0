package dev.voxgate.server.session;

/**
 * Every error a streaming client can receive: the stable {@code code} of the {@code error}
 * message and the WebSocket close code that follows it. docs/protocol.md lists the same table.
 */
public enum ErrorCode {
    MALFORMED_MESSAGE("malformed_message", 1007),
    UNKNOWN_MESSAGE_TYPE("unknown_message_type", 1008),
    AUDIO_AFTER_END_STREAM("audio_after_end_stream", 1008),
    SLOW_CLIENT("slow_client", 1008),
    FRAME_TOO_LARGE("frame_too_large", 1009),
    ENGINE_FAILURE("engine_failure", 1011),
    INTERNAL_ERROR("internal_error", 1011),
    SERVER_SHUTDOWN("server_shutdown", 1001),
    OVER_CAPACITY("over_capacity", 1013),
    ENGINE_UNAVAILABLE("engine_unavailable", 1013),
    CONNECTION_TIMEOUT("connection_timeout", 4001),
    INACTIVITY_TIMEOUT("inactivity_timeout", 4002),
    TRANSCRIBE_TIMEOUT("transcribe_timeout", 4003),
    INVALID_PARAMETER("invalid_parameter", 4400),
    UNSUPPORTED_LANGUAGE("unsupported_language", 4400),
    UNKNOWN_ENGINE("unknown_engine", 4404);

    private final String code;
    private final int closeCode;

    ErrorCode(String code, int closeCode) {
        this.code = code;
        this.closeCode = closeCode;
    }

    public String code() {
        return code;
    }

    public int closeCode() {
        return closeCode;
    }
}
