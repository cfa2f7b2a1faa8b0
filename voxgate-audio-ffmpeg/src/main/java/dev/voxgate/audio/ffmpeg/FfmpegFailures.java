package dev.voxgate.audio.ffmpeg;

import dev.voxgate.audio.decode.CorruptAudioFileException;
import dev.voxgate.audio.decode.NoAudioStreamException;
import dev.voxgate.audio.decode.UnsupportedCodecException;

/**
 * The messages users see when a recognised file cannot be opened or decoded. They name the format
 * and FFmpeg's reason, never the file's path, so that callers can prefix the name they show.
 */
final class FfmpegFailures {
    private FfmpegFailures() {
    }

    static CorruptAudioFileException cannotOpen(String format, int error) {
        return new CorruptAudioFileException("The file is recognised as " + format
                + " but cannot be opened: it is damaged "
                + "or was cut short (FFmpeg: " + FfmpegErrors.describe(error) + "). Check that the upload completed, "
                + "or export the recording again.");
    }

    static CorruptAudioFileException cannotDecode(String format, int error) {
        return new CorruptAudioFileException("The " + format + " file could not be decoded (FFmpeg: "
                + FfmpegErrors.describe(error) + "): it is damaged. Export the recording again.");
    }

    static CorruptAudioFileException noValidStreamParameters(String format) {
        return new CorruptAudioFileException("The " + format + " file's audio stream has no valid sample rate or "
                + "channel count: the file is damaged or was cut short.");
    }

    static NoAudioStreamException noAudioStream(String format, boolean hasVideo) {
        return new NoAudioStreamException("The " + format + " file has no audio stream"
                + (hasVideo ? " (it holds video only)" : "") + ": there is nothing to transcribe.");
    }

    static UnsupportedCodecException unsupportedCodec(String format, String codec) {
        return new UnsupportedCodecException("The " + format + " file's audio uses a codec (" + codec
                + ") this server cannot decode: convert it to mp3, flac or wav.");
    }
}
