package dev.voxgate.audio.decode;

/** The file has no bytes, or a valid header and no audio samples. */
public final class EmptyAudioFileException extends AudioDecodeException {
    public EmptyAudioFileException(String message) {
        super(Reason.EMPTY, message, null);
    }

    public EmptyAudioFileException(String message, Throwable cause) {
        super(Reason.EMPTY, message, cause);
    }
}
