package dev.voxgate.server.error;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The error catalogue: every reason a stream, a request or a job can fail, as a stable code that
 * means the same on every surface. It carries no protocol: each edge maps the {@link Kind} to its
 * own terms (an HTTP status in {@link HttpErrorMapper}, a WebSocket close code in the native codec).
 * docs/errors.md lists every code; a test keeps the two in step.
 */
public enum ErrorCode {
    // The request itself
    INVALID_PARAMETER(Kind.BAD_REQUEST),
    UNKNOWN_ENGINE(Kind.BAD_REQUEST),
    UNSUPPORTED_LANGUAGE(Kind.BAD_REQUEST),
    NOT_FOUND(Kind.NOT_FOUND),
    METHOD_NOT_ALLOWED(Kind.METHOD_NOT_ALLOWED),
    NOT_SUPPORTED(Kind.NOT_FOUND),
    // Who is asking (the guard)
    UNAUTHORIZED(Kind.UNAUTHORIZED),
    FORBIDDEN(Kind.FORBIDDEN),
    ORIGIN_NOT_ALLOWED(Kind.FORBIDDEN),
    RATE_LIMITED(Kind.OVERLOADED),
    // The uploaded file
    FILE_TOO_LARGE(Kind.TOO_LARGE),
    AUDIO_TOO_LONG(Kind.TOO_LARGE),
    UNSUPPORTED_MEDIA_TYPE(Kind.UNSUPPORTED_MEDIA),
    UNSUPPORTED_FORMAT(Kind.UNSUPPORTED_MEDIA),
    EMPTY_FILE(Kind.BAD_FILE),
    NOT_AUDIO(Kind.BAD_FILE),
    UNSUPPORTED_CODEC(Kind.BAD_FILE),
    NO_AUDIO_STREAM(Kind.BAD_FILE),
    CORRUPT_FILE(Kind.BAD_FILE),
    TRUNCATED_FILE(Kind.BAD_FILE),
    UNSUPPORTED_AUDIO(Kind.BAD_FILE),
    // The streaming protocol
    MALFORMED_MESSAGE(Kind.PROTOCOL),
    UNKNOWN_MESSAGE_TYPE(Kind.PROTOCOL),
    AUDIO_AFTER_END_STREAM(Kind.PROTOCOL),
    SLOW_CLIENT(Kind.PROTOCOL),
    FRAME_TOO_LARGE(Kind.TOO_LARGE),
    CONNECTION_TIMEOUT(Kind.TIMEOUT),
    INACTIVITY_TIMEOUT(Kind.TIMEOUT),
    TRANSCRIBE_TIMEOUT(Kind.TIMEOUT),
    // Jobs
    NOT_READY(Kind.CONFLICT),
    ALREADY_FINISHED(Kind.CONFLICT),
    NOT_REQUESTED(Kind.NOT_FOUND),
    EXPIRED(Kind.GONE),
    UPLOAD_MISSING(Kind.SERVER_FAULT),
    // The server's side: retrying later or elsewhere may help
    ENGINE_UNAVAILABLE(Kind.UNAVAILABLE),
    DECODER_UNAVAILABLE(Kind.UNAVAILABLE),
    JOB_DATABASE_UNAVAILABLE(Kind.UNAVAILABLE),
    OVER_CAPACITY(Kind.OVERLOADED),
    STORAGE_FULL(Kind.INSUFFICIENT_STORAGE),
    SERVER_SHUTDOWN(Kind.UNAVAILABLE),
    UNREADABLE_FILE(Kind.SERVER_FAULT),
    IO_ERROR(Kind.SERVER_FAULT),
    ENGINE_FAILURE(Kind.SERVER_FAULT),
    INTERNAL_ERROR(Kind.SERVER_FAULT);

    /** What sort of failure, which is all an edge needs to choose its status or close code. */
    public enum Kind {
        /** A parameter or the request's shape is wrong; fix the request. */
        BAD_REQUEST,
        /** No such thing (route, job, file of a job, feature). */
        NOT_FOUND,
        METHOD_NOT_ALLOWED,
        /** No API key, or one the server does not accept. */
        UNAUTHORIZED,
        /** Known or not, this caller may not do this from where it is (origin, address). */
        FORBIDDEN,
        /** Over a size or duration limit. */
        TOO_LARGE,
        /** A content type or format the server does not accept. */
        UNSUPPORTED_MEDIA,
        /** The file is at fault: retrying the same file cannot help. */
        BAD_FILE,
        /** The client broke the streaming protocol. */
        PROTOCOL,
        /** A streaming limit on time ran out. */
        TIMEOUT,
        /** The resource is not in a state that allows this (a job still running, already finished). */
        CONFLICT,
        /** It existed and was deleted on purpose (a transcript past its retention). */
        GONE,
        /** Temporarily unable: retry later or elsewhere. */
        UNAVAILABLE,
        /** At capacity: retry later. */
        OVERLOADED,
        /** The server cannot keep what this would store (its spool for S3 is full): retry later. */
        INSUFFICIENT_STORAGE,
        /** The server's own fault; details are in its log, never in the answer. */
        SERVER_FAULT
    }

    private final Kind kind;

    ErrorCode(Kind kind) {
        this.kind = kind;
    }

    /** The stable code clients see, e.g. {@code unknown_engine}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the same request may succeed later without change (send {@code x-should-retry: false} when not). */
    public boolean retryable() {
        return kind == Kind.UNAVAILABLE || kind == Kind.OVERLOADED || kind == Kind.INSUFFICIENT_STORAGE
                || this == IO_ERROR || this == INTERNAL_ERROR;
    }

    public static Optional<ErrorCode> of(String code) {
        return Arrays.stream(values()).filter(c -> c.code().equals(code)).findFirst();
    }
}
