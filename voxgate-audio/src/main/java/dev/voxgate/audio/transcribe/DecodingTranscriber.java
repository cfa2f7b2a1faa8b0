package dev.voxgate.audio.transcribe;

import dev.voxgate.api.EngineException;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.decode.AudioDecodeException;
import dev.voxgate.audio.decode.AudioFileDecoder;
import dev.voxgate.audio.decode.AudioProbe;
import dev.voxgate.audio.decode.PcmChunk;
import dev.voxgate.audio.decode.PcmSink;

import java.nio.file.Path;
import java.util.function.DoubleConsumer;

/**
 * Transcribes an audio file of any format while it decodes: the decoder's chunks go straight into
 * one engine session, so memory stays bounded however long the recording. The engine gets the
 * audio in pieces of 0.1 s, as {@link OfflineTranscriber} feeds it.
 * Runs on the calling thread. Used by {@code voxgate transcribe}, the OpenAI-compatible endpoint
 * and batch jobs.
 */
public final class DecodingTranscriber {
    private static final double PIECE_SECONDS = 0.1;

    /** What a transcription produced, and how much audio the file turned out to hold. */
    public record Result(Transcript transcript, AudioProbe probe, double decodedSeconds) {
        /** True when clearly less audio was decoded than the file's header announces (a file cut short). */
        public boolean shorterThanAnnounced() {
            double announced = probe.durationSeconds().orElse(0);
            return announced > 0 && decodedSeconds < announced - Math.max(1.0, 0.05 * announced);
        }
    }

    /** Carries an engine failure out of the decoder's sink, which may throw only unchecked exceptions. */
    private static final class EngineFailure extends RuntimeException {
        EngineFailure(EngineException cause) {
            super(cause);
        }
    }

    private DecodingTranscriber() {
    }

    public static Result run(StreamingEngine engine, AudioFileDecoder decoder, Path file, String language,
                             DoubleConsumer progress) throws EngineException, AudioDecodeException {
        int rate = engine.descriptor().capabilities().preferredSampleRate();
        try (SessionFeed feed = new SessionFeed(engine, rate, language, PIECE_SECONDS)) {
            var sink = new PcmSink() {
                AudioProbe probe;
                long samples;

                @Override
                public void started(AudioProbe p) {
                    probe = p;
                }

                @Override
                public void accept(PcmChunk chunk) {
                    short[] s = chunk.samples();
                    samples += s.length;
                    try {
                        feed.accept(s, 0, s.length);
                    } catch (EngineException e) {
                        throw new EngineFailure(e);
                    }
                }

                @Override
                public void progress(double fraction) {
                    progress.accept(fraction);
                }
            };
            try {
                decoder.decode(file, rate, sink);
            } catch (EngineFailure f) {
                throw (EngineException) f.getCause();
            }
            double seconds = sink.samples / (double) rate;
            return new Result(feed.finish(seconds), sink.probe, seconds);
        }
    }
}
