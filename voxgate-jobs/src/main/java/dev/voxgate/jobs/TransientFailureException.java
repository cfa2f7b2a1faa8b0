package dev.voxgate.jobs;

import java.util.Objects;

/**
 * Thrown by a {@link FileTranscriber} when another attempt (later, or on another node) may work, with
 * the stable error code to store if no attempt is left (for example {@code decoder_unavailable}).
 */
public class TransientFailureException extends Exception {
    private final String code;

    /**
     * @param code    the stable error code, as for {@link PermanentFailureException}
     * @param message a sentence for users
     */
    public TransientFailureException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public String code() {
        return code;
    }
}
