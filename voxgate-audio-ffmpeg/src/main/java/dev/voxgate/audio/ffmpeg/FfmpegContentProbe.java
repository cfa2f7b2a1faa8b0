package dev.voxgate.audio.ffmpeg;

import dev.voxgate.audio.decode.AudioDecodeException;
import dev.voxgate.audio.decode.AudioFileUnreadableException;
import dev.voxgate.audio.decode.NotAudioException;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;

import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_READ;
import static org.bytedeco.ffmpeg.global.avformat.av_probe_input_buffer2;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_INVALIDDATA;

/**
 * Finds a file's demuxer from its first bytes alone. The probe is given no file name, because
 * FFmpeg would otherwise let the extension win over a weak match of the content.
 */
final class FfmpegContentProbe {
    /** FFmpeg's own maximum for a probe (1 MiB): enough for formats that start with tags or padding. */
    private static final int PROBE_BYTES = 1 << 20;

    private FfmpegContentProbe() {
    }

    /** The demuxer whose probe scores the content highest; static data of FFmpeg's, never freed. */
    static AVInputFormat demuxer(String url) throws AudioDecodeException {
        AVIOContext pb = new AVIOContext(null);
        int ret = avio_open(pb, url, AVIO_FLAG_READ);
        if (ret < 0) throw new AudioFileUnreadableException("The file cannot be read: " + FfmpegErrors.describe(ret)
                + ".");
        try {
            AVInputFormat format = new AVInputFormat(null);
            ret = av_probe_input_buffer2(pb, format, "", null, 0, PROBE_BYTES);
            if (ret >= 0 && !format.isNull()) return format;
            if (ret >= 0 || ret == AVERROR_INVALIDDATA() || ret == AVERROR_EOF()) {
                throw new NotAudioException("This is not an audio file: its content matches no audio or video format "
                        + "(is it a text or other document with an audio file's name?).");
            }
            throw new AudioFileUnreadableException("The file cannot be read: " + FfmpegErrors.describe(ret) + ".");
        } finally {
            avio_closep(pb);
        }
    }
}
