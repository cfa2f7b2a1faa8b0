package dev.voxgate.audio.ffmpeg;

import java.nio.file.Path;
import java.util.Map;

/**
 * The formats the tests encode (with {@link AudioWriter}), and the encoder each uses in this
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
    /** Opus in WebM, as browsers record it (MediaRecorder). */
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
        try (AudioWriter w = new AudioWriter(out, muxer, encoder, sampleRate, channels, channels * 64_000L, Map.of())) {
            w.write(interleaved);
            w.finish();
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
}
