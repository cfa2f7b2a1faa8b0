package dev.voxgate.audio.ffmpeg;

import dev.voxgate.audio.decode.AudioDecodeException;
import dev.voxgate.audio.decode.AudioFileDecoder;
import dev.voxgate.audio.decode.AudioProbe;
import dev.voxgate.audio.decode.CorruptAudioFileException;
import dev.voxgate.audio.decode.EmptyAudioFileException;
import dev.voxgate.audio.decode.PcmChunk;
import dev.voxgate.audio.decode.PcmSink;

import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CancellationException;

/**
 * Decodes audio files in-process with FFmpeg 8, called directly through the JavaCPP presets of
 * libavformat, libavcodec, libswresample and libavutil (nothing else of FFmpeg's, so no desktop
 * library such as PulseAudio or X11 is needed): mp3, m4a/AAC, flac, ogg (Vorbis, Opus, FLAC),
 * opus, webm/Matroska, wav (any PCM, ADPCM, A-law, µ-law) and whatever else this FFmpeg build
 * reads (aiff, amr, caf, wma, the audio of video files, …).
 *
 * <p>Content, not name: the container is found by FFmpeg's probe of the first bytes with no file
 * name given, so the extension plays no part; the demuxer is then forced, so FFmpeg cannot guess
 * from the name either. Playlists and lists of other files (HLS, concat, DASH, SDP) are refused
 * before they open anything, and only the {@code file} protocol is allowed.
 *
 * <p>Decoding runs on the calling thread (the codec is opened with one thread, so no FFmpeg worker
 * threads), the resampling to mono at the target rate is FFmpeg's (libswresample), and output comes
 * in chunks of exactly {@link #CHUNK_SECONDS} (the last one shorter), so memory stays bounded by
 * the chunk size whatever the file's length.
 *
 * <p>Damaged or truncated files: FFmpeg skips what it cannot decode and stops at the first read
 * error, so a file cut short yields the audio before the cut and {@code decode} returns normally
 * ({@code progress} still reaches 1.0: the whole of what is there was read). Only when nothing at
 * all can be decoded does it fail, with {@link CorruptAudioFileException} (or
 * {@link EmptyAudioFileException} when the headers announce no audio either).
 *
 * <p>Natives unpack on first use into the JavaCPP cache folder (see {@code docs/operations.md},
 * "Audio file decoding"); FFmpeg's own console log is off unless {@code FFMPEG_LOG_LEVEL} is set.
 */
public final class FfmpegAudioDecoder implements AudioFileDecoder {
    /** The length of each chunk handed to the sink, except the last. */
    public static final double CHUNK_SECONDS = 0.25;

    /** Public for {@link java.util.ServiceLoader}; natives load on first use. */
    public FfmpegAudioDecoder() {
    }

    @Override
    public String id() {
        return "ffmpeg";
    }

    @Override
    public AudioProbe probe(Path file) throws AudioDecodeException {
        try (FfmpegInput in = FfmpegInput.open(file)) {
            return in.probe();
        }
    }

    @Override
    public void decode(Path file, int targetSampleRate, PcmSink sink) throws AudioDecodeException {
        if (targetSampleRate <= 0) throw new IllegalArgumentException("target sample rate must be positive: "
                + targetSampleRate);
        try (FfmpegInput in = FfmpegInput.open(file)) {
            AudioProbe probe = in.probe();
            sink.started(probe);
            Chunker chunker =
                    new Chunker(targetSampleRate, Math.max(1, (int) Math.round(targetSampleRate * CHUNK_SECONDS)),
                            sink);
            in.decode(targetSampleRate, (samples, fraction) -> {
                if (Thread.currentThread()
                        .isInterrupted()) throw new CancellationException("audio decoding was interrupted");
                chunker.add(samples, fraction);
            });
            chunker.finish();
            if (chunker.total == 0) {
                double announced = probe.durationSeconds().orElse(0);
                if (announced > 0.05) {
                    throw new CorruptAudioFileException("No audio could be decoded from this " + probe.format()
                            + " file although its header announces " + seconds(announced)
                            + ": the file is damaged or was cut short. Check that the upload completed, or export the "
                            + "recording again.");
                }
                throw new EmptyAudioFileException("The " + probe.format() + " file holds no audio samples.");
            }
            sink.progress(1.0);
        }
    }

    static String seconds(double s) {
        return s < 60 ? String.format(Locale.ROOT, "%.1f s", s)
                : String.format(Locale.ROOT, "%d:%02d", (long) s / 60, (long) s % 60);
    }

    /**
     * Cuts the decoder's frames (of whatever size the codec has) into chunks of a fixed length.
     * Each chunk is a new array, so the sink owns what it receives.
     */
    private static final class Chunker {
        private final int sampleRate;
        private final int size;
        private final PcmSink sink;
        private short[] buffer;
        private int filled;
        private long total;
        private double lastFraction;

        Chunker(int sampleRate, int size, PcmSink sink) {
            this.sampleRate = sampleRate;
            this.size = size;
            this.sink = sink;
            this.buffer = new short[size];
        }

        void add(ShortBuffer samples, double fraction) {
            int pos = samples.position(), end = samples.limit();
            while (pos < end) {
                int n = Math.min(size - filled, end - pos);
                samples.get(pos, buffer, filled, n);
                pos += n;
                filled += n;
                if (filled == size) emit(Math.max(lastFraction, Math.min(fraction, 0.999)));
            }
            lastFraction = Math.max(lastFraction, Math.min(fraction, 0.999));
        }

        void finish() {
            if (filled > 0) emit(lastFraction);
        }

        private void emit(double fraction) {
            short[] out = filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled);
            PcmChunk chunk = new PcmChunk(sampleRate, total, out);
            total += filled;
            buffer = new short[size];
            filled = 0;
            sink.accept(chunk);
            lastFraction = fraction;
            sink.progress(fraction);
        }
    }
}
