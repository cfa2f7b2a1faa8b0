package dev.voxgate.server.upload;

import dev.voxgate.server.error.ApiError;
import dev.voxgate.server.error.ErrorCode;

/** Why an upload was refused, with the HTTP status that says so. Messages are for the client. */
public sealed class UploadException extends Exception {
    private final int status;
    private final String param;
    private final ErrorCode code;

    private UploadException(int status, ErrorCode code, String param, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.param = param;
    }

    public int status() {
        return status;
    }

    /** The catalogue code: {@code file_too_large}, {@code unsupported_format} or {@code invalid_parameter}. */
    public ErrorCode code() {
        return code;
    }

    /** The refusal in the error catalogue's terms. */
    public ApiError error() {
        return new ApiError(code, param, getMessage());
    }

    /** The form field at fault, or null. */
    public String param() {
        return param;
    }

    /** Over {@code MAX_FILE_SIZE_MB}: 413, answered before the body is read when its length is declared. */
    public static final class TooLarge extends UploadException {
        public TooLarge(long limitBytes) {
            super(413, ErrorCode.FILE_TOO_LARGE, "file",
                    "the file is larger than the limit of " + (limitBytes / (1024 * 1024))
                    + " MB (MAX_FILE_SIZE_MB)");
        }
    }

    /** Not a multipart form, no {@code file} field, an empty file, or a broken form: 400. */
    public static final class BadForm extends UploadException {
        public BadForm(String param, String message) {
            super(400, ErrorCode.INVALID_PARAMETER, param, message);
        }
    }

    /** The content is not an allowed format ({@code ALLOWED_AUDIO_FORMATS}): 415. */
    public static final class UnsupportedMedia extends UploadException {
        public UnsupportedMedia(String message) {
            super(415, ErrorCode.UNSUPPORTED_FORMAT, "file", message);
        }
    }
}
