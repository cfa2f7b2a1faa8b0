package dev.voxgate.audio.decode;

import dev.voxgate.audio.PcmAudio;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Reads audio files of any container and codec the implementation knows (mp3, m4a, flac, ogg,
 * opus, webm, wav, …) and turns them into mono 16-bit PCM.
 *
 * <p>The format is recognised from the file's content, never from its name: a text file named
 * {@code talk.mp3} is reported as {@link NotAudioException}, an mp3 named {@code talk.wav} is
 * decoded as mp3.
 *
 * <p>Implementations are found with {@link ServiceLoader} ({@link #installed()}), so the server,
 * the job workers and the command line need not depend on one. They have a public no-argument
 * constructor and are cheap to construct; native code, if any, loads on first use.
 *
 * <p>Threads: an instance is thread-safe and holds no per-file state; each call opens the file,
 * decodes it on the calling thread and releases everything before returning (also when it throws).
 * Decoding is CPU-bound: do not call it on a network I/O thread.
 *
 * <p>Errors: every failure is an {@link AudioDecodeException} whose subtype and
 * {@link AudioDecodeException#reason()} say what went wrong. Messages are sentences meant for end
 * users and never contain the file's path (callers prefix the name they show, such as the name of
 * the upload).
 */
public interface AudioFileDecoder {

    /** A short stable name, e.g. {@code ffmpeg}. */
    String id();

    /**
     * Reads the container and stream headers, without decoding the audio.
     *
     * @throws AudioDecodeException when the file is empty, not audio, has no audio stream, uses a
     *         codec this decoder cannot decode, cannot be read, or is too damaged to open
     */
    AudioProbe probe(Path file) throws AudioDecodeException;

    /**
     * Decodes the first audio stream of {@code file} to mono signed 16-bit PCM at
     * {@code targetSampleRate} (channels mixed down, rate converted) and streams it to
     * {@code sink}, on the calling thread, in order: first {@link PcmSink#started} with the
     * probe, then {@link PcmSink#accept} for consecutive chunks of a few hundred milliseconds, each
     * followed by {@link PcmSink#progress}, which reaches exactly 1.0 once after the last chunk
     * when the whole file was read.
     *
     * <p>Memory stays bounded whatever the file's length: no more than a few chunks are held, so
     * a three-hour recording decodes like a three-second one.
     *
     * <p>A file that is cut short or damaged part-way delivers the audio that can be decoded, as
     * FFmpeg's command line does, and returns normally; only a file from which nothing at all can
     * be decoded fails with {@link CorruptAudioFileException}. Compare the samples received with
     * {@link AudioProbe#durationSeconds()} to notice a file that ended early.
     *
     * <p>To stop early (a cancelled job, a length limit), throw an unchecked exception from the
     * sink: it propagates unchanged after the decoder has released the file. An interrupt of the
     * calling thread also stops decoding, with {@link java.util.concurrent.CancellationException}
     * and the interrupt flag kept.
     *
     * @param targetSampleRate the output rate in Hz, e.g. 16000
     * @throws AudioDecodeException as {@link #probe}, and {@link CorruptAudioFileException} when no
     *         audio could be decoded from a file whose header announces some
     */
    void decode(Path file, int targetSampleRate, PcmSink sink) throws AudioDecodeException;

    /**
     * Decodes the whole file into memory: for short files only (2 bytes per sample, so an hour
     * at 16 kHz takes 115 MB). Long files go through {@link #decode} chunk by chunk.
     */
    default PcmAudio decodeAll(Path file, int sampleRate) throws AudioDecodeException {
        var all = new Object() {
            short[] samples = new short[sampleRate * 10];
            int size;
        };
        decode(file, sampleRate, chunk -> {
            short[] s = chunk.samples();
            if (all.size + s.length > all.samples.length) {
                long wanted = Math.max((long) all.size + s.length, all.samples.length * 2L);
                if (wanted > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException(
                            "audio too long to hold in memory; decode it chunk by chunk with decode()");
                }
                all.samples = Arrays.copyOf(all.samples, (int) wanted);
            }
            System.arraycopy(s, 0, all.samples, all.size, s.length);
            all.size += s.length;
        });
        return new PcmAudio(sampleRate, Arrays.copyOf(all.samples, all.size));
    }

    /**
     * The first decoder found on the class path ({@code META-INF/services/dev.voxgate.audio.decode.AudioFileDecoder}).
     */
    static Optional<AudioFileDecoder> installed() {
        return ServiceLoader.load(AudioFileDecoder.class).findFirst();
    }
}
