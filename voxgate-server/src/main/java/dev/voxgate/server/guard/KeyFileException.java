package dev.voxgate.server.guard;

/** The API key file, or a name given for a key, is not what it should be; the message says where. */
public final class KeyFileException extends RuntimeException {
    public KeyFileException(String message) {
        super(message);
    }
}
