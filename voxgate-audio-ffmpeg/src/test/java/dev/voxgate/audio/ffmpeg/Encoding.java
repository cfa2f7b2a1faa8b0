package dev.voxgate.audio.ffmpeg;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;

import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The formats the tests encode with FFmpegFrameRecorder, and the encoder each uses in this
 * FFmpeg build (bytedeco's 8.0.1: libmp3lame, libopus and FFmpeg's own aac, flac, vorbis and pcm
 * encoders; no libvorbis and no libfdk_aac). Shared with other modules' tests through this
 * module's test jar.
 */
public enum Encoding {
    MP3("mp3", "mp3", "libmp3lame", "mp3", 1),
    /** AAC in MP4 with the index (moov) at the end, as FFmpeg writes it by default. */
    M4A("m4a", "mp4", "aac", "aac", 1),
    FLAC("flac", "flac", "flac", "flac", 1),
    /** FFmpeg's own Vorbis encoder (libvorbis is not in this build); it takes stereo only. */
    OGG_VORBIS("ogg", "ogg", "vorbis", "vorbis", 2),
    OPUS("opus", "ogg", "libopus", "opus", 1),
    /**
     * Opus in WebM, remuxed from Ogg: FFmpegFrameRecorder writes encoded packets' durations in
     * the codec's time base into WebM's millisecond one, so a WebM it encodes directly announces a
     * duration 0.3 s (at 16 kHz) too long. Copying packets (recordPacket) rescales them.
     */
    WEBM("webm", "webm", "libopus", "opus", 1),
    WAV("wav", "wav", "pcm_s16le", "pcm_s16le", 1);

    public final String extension;
    final String muxer;
    final String encoder;
    public final String codec;
    final int minChannels;

    Encoding(String extension, String muxer, String encoder, String codec, int minChannels) {
        this.extension = extension;
        this.muxer = muxer;
        this.encoder = encoder;
        this.codec = codec;
        this.minChannels = minChannels;
    }

    /** The format {@code AudioProbe} should report. */
    String expectedFormat() {
        return extension;
    }

    /** Encodes mono samples (duplicated to stereo where the encoder needs it) into {@code out}. */
    public Path encode(Path out, int sampleRate, short[] mono) throws Exception {
        int channels = Math.max(1, minChannels);
        short[] interleaved = channels == 1 ? mono : interleave(mono, mono);
        return encode(out, sampleRate, channels, interleaved);
    }

    /** Encodes interleaved samples with {@code channels} channels into {@code out}. */
    public Path encode(Path out, int sampleRate, int channels, short[] interleaved) throws Exception {
        if (this == WEBM) {
            Path ogg = Files.createTempFile(out.getParent(), "webm-source", ".ogg");
            OPUS.encode(ogg, sampleRate, channels, interleaved);
            remux(ogg, out, muxer);
            Files.delete(ogg);
            return out;
        }
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), channels)) {
            r.setFormat(muxer);
            r.setAudioCodecName(encoder);
            r.setSampleRate(sampleRate);
            r.setAudioChannels(channels);
            r.setAudioBitrate(channels * 64_000);
            r.start();
            int step = 4096 * channels;
            for (int i = 0; i < interleaved.length; i += step) {
                r.recordSamples(sampleRate, channels, ShortBuffer.wrap(Arrays.copyOfRange(interleaved, i, Math.min(interleaved.length, i + step))));
            }
            r.stop();
        }
        return out;
    }

    public static short[] interleave(short[] left, short[] right) {
        short[] out = new short[left.length * 2];
        for (int i = 0; i < left.length; i++) {
            out[2 * i] = left[i];
            out[2 * i + 1] = right[i];
        }
        return out;
    }

    /** Copies the streams of {@code in} into a new container without re-encoding. */
    static void remux(Path in, Path out, String muxer) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(in.toFile())) {
            g.start();
            try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), g.getAudioChannels())) {
                r.setFormat(muxer);
                r.setAudioChannels(g.getAudioChannels());
                r.start(g.getFormatContext());
                AVPacket p;
                while ((p = g.grabPacket()) != null) r.recordPacket(p);
                r.stop();
            }
        }
    }
}
