package dev.voxgate.audio.decode;

/** A known container whose audio codec the decoder cannot decode. */
public final class UnsupportedCodecException extends AudioDecodeException {
    public UnsupportedCodecException(String message) {
        super(Reason.UNSUPPORTED_CODEC, message, null);
    }

    public UnsupportedCodecException(String message, Throwable cause) {
        super(Reason.UNSUPPORTED_CODEC, message, cause);
    }
}
