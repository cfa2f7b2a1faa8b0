package dev.voxgate.audio.decode;

/** The content is not audio the decoder knows: no known format, or an image, subtitles or a playlist. */
public final class NotAudioException extends AudioDecodeException {
    public NotAudioException(String message) {
        super(Reason.NOT_AUDIO, message, null);
    }

    public NotAudioException(String message, Throwable cause) {
        super(Reason.NOT_AUDIO, message, cause);
    }
}
