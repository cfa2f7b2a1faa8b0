package dev.voxgate.audio.decode;

/** The file could not be read: missing, not a regular file, no permission, or an I/O error. */
public final class AudioFileUnreadableException extends AudioDecodeException {
    public AudioFileUnreadableException(String message) {
        super(Reason.UNREADABLE, message, null);
    }

    public AudioFileUnreadableException(String message, Throwable cause) {
        super(Reason.UNREADABLE, message, cause);
    }
}
