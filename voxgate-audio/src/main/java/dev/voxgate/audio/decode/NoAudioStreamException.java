package dev.voxgate.audio.decode;

/** A media file without an audio stream, such as a video without sound. */
public final class NoAudioStreamException extends AudioDecodeException {
    public NoAudioStreamException(String message) {
        super(Reason.NO_AUDIO_STREAM, message, null);
    }

    public NoAudioStreamException(String message, Throwable cause) {
        super(Reason.NO_AUDIO_STREAM, message, cause);
    }
}
