package dev.voxgate.audio.decode;

/** The decoder cannot run on this machine (its native libraries did not load); not the file's fault. */
public final class AudioDecoderUnavailableException extends AudioDecodeException {
    public AudioDecoderUnavailableException(String message) {
        super(Reason.DECODER_UNAVAILABLE, message, null);
    }

    public AudioDecoderUnavailableException(String message, Throwable cause) {
        super(Reason.DECODER_UNAVAILABLE, message, cause);
    }
}
