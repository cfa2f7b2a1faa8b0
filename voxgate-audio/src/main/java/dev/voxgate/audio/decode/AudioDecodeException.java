package dev.voxgate.audio.decode;

import java.io.IOException;

/**
 * Why an audio file could not be decoded. The subtype and {@link #reason()} say what kind of
 * failure it is; {@link Reason#code()} is the stable error code API clients see, and the message
 * is a sentence for end users that never contains the file's path.
 */
public sealed abstract class AudioDecodeException extends IOException
        permits EmptyAudioFileException, NotAudioException, UnsupportedCodecException, NoAudioStreamException,
                CorruptAudioFileException, AudioFileUnreadableException, AudioDecoderUnavailableException {

    /** The kinds of failure, with their error codes. */
    public enum Reason {
        /** The file has no bytes, or a valid header and no audio samples. */
        EMPTY("empty_file", true),
        /**
         * The content is no audio or video format the decoder knows (a text file renamed .mp3), or is an image,
         * subtitles or a playlist.
         */
        NOT_AUDIO("not_audio", true),
        /** A known container whose audio codec this decoder cannot decode. */
        UNSUPPORTED_CODEC("unsupported_codec", true),
        /** A media file without any audio stream (a silent video). */
        NO_AUDIO_STREAM("no_audio_stream", true),
        /** Recognised, but damaged or cut short so badly that no audio can be decoded. */
        CORRUPT("corrupt_file", true),
        /** The file could not be read at all (missing, a folder, no permission, an I/O error). */
        UNREADABLE("unreadable_file", false),
        /** The decoder itself cannot run here (native libraries did not load): not the file's fault. */
        DECODER_UNAVAILABLE("decoder_unavailable", false);

        private final String code;
        private final boolean fileProblem;

        Reason(String code, boolean fileProblem) {
            this.code = code;
            this.fileProblem = fileProblem;
        }

        /** The stable error code, e.g. {@code not_audio}. */
        public String code() {
            return code;
        }

        /** True when the file's content is at fault (a client error), false for problems of the machine. */
        public boolean fileProblem() {
            return fileProblem;
        }
    }

    private final Reason reason;

    AudioDecodeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
