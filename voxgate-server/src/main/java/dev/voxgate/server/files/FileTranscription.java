package dev.voxgate.server.files;

import dev.voxgate.api.EngineException;
import dev.voxgate.api.NativeWorkers;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.api.UnsupportedAudioException;
import dev.voxgate.audio.decode.AudioDecodeException;
import dev.voxgate.audio.decode.AudioFileDecoder;
import dev.voxgate.audio.decode.AudioProbe;
import dev.voxgate.audio.decode.PcmChunk;
import dev.voxgate.audio.decode.PcmSink;
import dev.voxgate.audio.transcribe.DecodingTranscriber;
import dev.voxgate.server.error.ApiError;
import dev.voxgate.server.error.ApiException;
import dev.voxgate.server.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleConsumer;

/**
 * Transcribes whole files for every surface that takes one: {@code POST /v1/audio/transcriptions},
 * the job worker and {@code voxgate transcribe}. It probes the file (format allow-list, a plausible
 * sample rate, {@code MAX_AUDIO_MINUTES}), then decodes it into the engine while counting the
 * samples, so a header that lies about the length is caught too.
 *
 * <p>Threads: probing and decoding are native, CPU-bound calls. They run on this service's own
 * platform threads ({@code voxgate-file-N}, as many as {@code concurrency}), never on the caller's
 * thread: a request's virtual thread inside a native call would pin its carrier, and two such
 * uploads would stop the whole server from answering. The caller waits unmounted; interrupting it
 * (a client gone, a job cancelled, shutdown) cancels the decode.
 */
public final class FileTranscription implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FileTranscription.class);

    private final Optional<AudioFileDecoder> decoder;
    private final FileLimits limits;
    private final ExecutorService workers;
    private final AtomicInteger busy = new AtomicInteger();
    private final FileEvents events;

    public FileTranscription(Optional<AudioFileDecoder> decoder, FileLimits limits, int concurrency) {
        this(decoder, limits, concurrency, FileEvents.NONE);
    }

    public FileTranscription(Optional<AudioFileDecoder> decoder, FileLimits limits, int concurrency,
                             FileEvents events) {
        this.decoder = decoder;
        this.limits = limits;
        this.events = events;
        this.workers = NativeWorkers.fixed("voxgate-file", Math.max(1, concurrency));
    }

    /** Files being probed or decoded right now (the {@code voxgate_file_work_active} gauge). */
    public int active() {
        return busy.get();
    }

    public FileLimits limits() {
        return limits;
    }

    /**
     * Reads the file's headers and checks them against the limits, before any audio is decoded.
     *
     * @throws ApiException {@code unsupported_format} (not in the allow-list), {@code unsupported_audio} (an
     *         impossible sample rate), {@code audio_too_long}, or a decoder code ({@code not_audio}, …)
     */
    public AudioProbe probe(Path file) throws ApiException, InterruptedException {
        AudioFileDecoder d = decoder();
        AudioProbe probe = onWorker(() -> d.probe(file));
        if (!limits.allowedFormats().isEmpty() && !probe.matchesAny(limits.allowedFormats())) {
            throw new ApiException(ErrorCode.UNSUPPORTED_FORMAT, "file", "this file is " + probe.format()
                    + "; allowed formats are " + String.join(", ", limits.allowedFormats())
                    + " (ALLOWED_AUDIO_FORMATS)");
        }
        if (probe.sampleRate() < FileLimits.MIN_SAMPLE_RATE || probe.sampleRate() > FileLimits.MAX_SAMPLE_RATE) {
            throw new ApiException(ErrorCode.UNSUPPORTED_AUDIO, "file", "the file's header gives a sample rate of "
                    + probe.sampleRate() + " Hz; audio is recorded at " + FileLimits.MIN_SAMPLE_RATE + " to "
                    + FileLimits.MAX_SAMPLE_RATE + " Hz, so the file is damaged or not what it claims");
        }
        double announced = probe.durationSeconds().orElse(0);
        if (announced > limits.maxAudioSeconds()) throw tooLong(announced);
        return probe;
    }

    /**
     * Probes (as {@link #probe}) and transcribes the file with the engine, waiting for the result.
     * Decoding stops with {@code audio_too_long} once more audio than {@code MAX_AUDIO_MINUTES} has come out.
     *
     * @param language the tag to ask the engine for, or null for its default
     * @param progress the fraction decoded so far, called on a worker thread
     * @throws InterruptedException when the calling thread is interrupted; the decode is cancelled first
     */
    public FileTranscript transcribe(String engineId, StreamingEngine engine, String language, Path file,
                                     DoubleConsumer progress) throws ApiException, InterruptedException {
        return transcribe(engineId, engine, language, file, progress, FileEvents.Source.REQUEST);
    }

    /** As {@link #transcribe(String, StreamingEngine, String, Path, DoubleConsumer)}, counted under {@code source}. */
    public FileTranscript transcribe(String engineId, StreamingEngine engine, String language, Path file,
                                     DoubleConsumer progress, FileEvents.Source source)
            throws ApiException, InterruptedException {
        long start = System.nanoTime();
        try {
            AudioProbe probe = probe(file);
            AudioFileDecoder d = decoder();
            AudioFileDecoder limited = new LengthLimitedDecoder(d, limits.maxAudioSeconds());
            DecodingTranscriber.Result r = onWorker(() -> DecodingTranscriber.run(engine, limited, file, language,
                    progress));
            FileTranscript transcript = new FileTranscript(r.transcript(), engineId, language,
                    r.probe() != null ? r.probe() : probe, r.decodedSeconds());
            events.transcribed(engineId, source, r.decodedSeconds(), System.nanoTime() - start);
            return transcript;
        } catch (ApiException e) {
            events.failed(engineId, source, e.error().code().code(), System.nanoTime() - start);
            throw e;
        } catch (InterruptedException e) {
            events.failed(engineId, source, "cancelled", System.nanoTime() - start);
            throw e;
        }
    }

    private AudioFileDecoder decoder() throws ApiException {
        return decoder.orElseThrow(() -> new ApiException(ErrorCode.DECODER_UNAVAILABLE, null,
                "this server has no audio file decoder installed (module voxgate-audio-ffmpeg)"));
    }

    private interface Work<T> {
        T run() throws Exception;
    }

    /** Runs native work on a worker and waits; the caller's interrupt cancels it, failures become catalogue errors. */
    private <T> T onWorker(Work<T> work) throws ApiException, InterruptedException {
        Future<T> running = workers.submit(() -> {
            busy.incrementAndGet();
            try {
                return work.run();
            } finally {
                busy.decrementAndGet();
            }
        });
        try {
            return running.get();
        } catch (InterruptedException e) {
            running.cancel(true);
            throw e;
        } catch (CancellationException e) {
            throw new InterruptedException("file transcription was cancelled");
        } catch (ExecutionException e) {
            throw translate(e.getCause());
        }
    }

    private ApiException translate(Throwable t) throws InterruptedException {
        return switch (t) {
            case ApiException a -> a;
            case AudioTooLong l -> new ApiException(ErrorCode.AUDIO_TOO_LONG, "file", String.format(Locale.ROOT,
                    "the file holds more than the limit of %.0f minutes of audio (MAX_AUDIO_MINUTES)",
                    limits.maxAudioSeconds() / 60));
            case AudioDecodeException d -> {
                if (!d.reason().fileProblem()) log.warn("decoding a file failed on the server's side: {}",
                        d.getMessage());
                yield new ApiException(ErrorCode.of(d.reason().code()).orElse(ErrorCode.CORRUPT_FILE),
                        d.reason().fileProblem() ? "file" : null, "cannot read audio: " + d.getMessage());
            }
            case UnsupportedAudioException u -> new ApiException(ErrorCode.UNSUPPORTED_AUDIO, "file", u.getMessage());
            case EngineException e -> {
                log.warn("the engine failed on a file: {}", e.toString());
                ErrorCode code = ErrorCode.of(e.code()).orElse(ErrorCode.ENGINE_FAILURE);
                yield new ApiException(code, null, code == ErrorCode.ENGINE_UNAVAILABLE
                        ? "the speech engine is unavailable; try again shortly"
                        : "the speech engine failed on this file");
            }
            case CancellationException c -> throw new InterruptedException("file transcription was cancelled");
            default -> {
                log.error("transcribing a file failed", t);
                yield new ApiException(ApiError.of(ErrorCode.INTERNAL_ERROR,
                        "transcribing the file failed on the server"));
            }
        };
    }

    private ApiException tooLong(double seconds) {
        return new ApiException(ErrorCode.AUDIO_TOO_LONG, "file", String.format(Locale.ROOT,
                "the file holds %.1f minutes of audio; the limit is %.0f minutes (MAX_AUDIO_MINUTES)",
                seconds / 60, limits.maxAudioSeconds() / 60));
    }

    /** Stops decoding at the limit; thrown from the decoder's sink, which the decoder passes on unchanged. */
    private static final class AudioTooLong extends RuntimeException {
        AudioTooLong() {
            super(null, null, false, false);
        }
    }

    /** A decoder whose sink refuses audio beyond {@code maxSeconds}. */
    private record LengthLimitedDecoder(AudioFileDecoder inner, double maxSeconds) implements AudioFileDecoder {
        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public AudioProbe probe(Path file) throws AudioDecodeException {
            return inner.probe(file);
        }

        @Override
        public void decode(Path file, int rate, PcmSink sink) throws AudioDecodeException {
            long max = (long) (maxSeconds * rate);
            inner.decode(file, rate, new PcmSink() {
                long samples;

                @Override
                public void started(AudioProbe probe) {
                    sink.started(probe);
                }

                @Override
                public void accept(PcmChunk chunk) {
                    samples += chunk.samples().length;
                    if (samples > max) throw new AudioTooLong();
                    sink.accept(chunk);
                }

                @Override
                public void progress(double fraction) {
                    sink.progress(fraction);
                }
            });
        }
    }

    /** Cancels running decodes (their callers see an interrupt) and stops the workers. */
    @Override
    public void close() {
        workers.shutdownNow();
    }
}
