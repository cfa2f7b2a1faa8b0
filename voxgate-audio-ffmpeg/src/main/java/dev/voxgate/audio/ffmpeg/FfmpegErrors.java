package dev.voxgate.audio.ffmpeg;

import java.nio.charset.StandardCharsets;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** FFmpeg's error codes in FFmpeg's words ("Invalid data found when processing input"). */
final class FfmpegErrors {
    private FfmpegErrors() {
    }

    static String describe(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) n++;
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }
}
