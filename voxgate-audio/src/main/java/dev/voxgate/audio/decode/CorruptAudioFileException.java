package dev.voxgate.audio.decode;

/** The format was recognised, but the file is too damaged or cut short for any audio to be decoded. */
public final class CorruptAudioFileException extends AudioDecodeException {
    public CorruptAudioFileException(String message) {
        super(Reason.CORRUPT, message, null);
    }

    public CorruptAudioFileException(String message, Throwable cause) {
        super(Reason.CORRUPT, message, cause);
    }
}
