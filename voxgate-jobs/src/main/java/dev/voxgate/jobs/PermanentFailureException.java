package dev.voxgate.jobs;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Thrown by a {@link FileTranscriber} when trying again cannot help and no decode or engine
 * exception says so: the job fails for good with this error code (for example
 * {@code truncated_file}, a file that ends well before the length its header announces).
 */
public class PermanentFailureException extends Exception {
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final String code;

    /**
     * @param code    the stable error code stored with the job and shown by the API: lower case, digits, {@code _}
     * @param message a sentence for users
     */
    public PermanentFailureException(String code, String message) {
        super(message);
        Objects.requireNonNull(code, "code");
        if (!CODE.matcher(code).matches()) throw new IllegalArgumentException("not an error code: '" + code + "'");
        this.code = code;
    }

    public String code() {
        return code;
    }
}
