package dev.voxgate.audio.transcribe;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.Pcm16;
import dev.voxgate.audio.decode.AudioDecodeException;
import dev.voxgate.audio.decode.AudioFileDecoder;
import dev.voxgate.audio.decode.AudioProbe;
import dev.voxgate.audio.decode.PcmChunk;
import dev.voxgate.audio.decode.PcmSink;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
            DoubleConsumer progress)
            throws EngineException, AudioDecodeException {
        int rate = engine.descriptor().capabilities().preferredSampleRate();
        int piece = Math.max(1, (int) (rate * PIECE_SECONDS));
        List<Segment> segments = new ArrayList<>();
        RecognitionListener collector = new RecognitionListener() {
            @Override
            public void onFinal(Segment segment) {
                if (!segment.isEmpty()) segments.add(segment);
            }
        };
        try (RecognitionSession session = engine.open(new SessionOptions(rate, language), collector)) {
            var sink = new PcmSink() {
                AudioProbe probe;
                long samples;
                final short[] pending = new short[piece];
                int filled;

                @Override
                public void started(AudioProbe p) {
                    probe = p;
                }

                @Override
                public void accept(PcmChunk chunk) {
                    short[] s = chunk.samples();
                    samples += s.length;
                    for (int pos = 0; pos < s.length; ) {
                        int n = Math.min(piece - filled, s.length - pos);
                        System.arraycopy(s, pos, pending, filled, n);
                        pos += n;
                        filled += n;
                        if (filled == piece) flush();
                    }
                }

                @Override
                public void progress(double fraction) {
                    progress.accept(fraction);
                }

                void flush() {
                    if (filled == 0) return;
                    try {
                        session.accept(new AudioChunk(Pcm16.toBytes(pending, 0, filled)));
                    } catch (EngineException e) {
                        throw new EngineFailure(e);
                    }
                    filled = 0;
                }
            };
            try {
                decoder.decode(file, rate, sink);
                sink.flush();
            } catch (EngineFailure f) {
                throw (EngineException) f.getCause();
            }
            session.finish();
            double seconds = sink.samples / (double) rate;
            return new Result(new Transcript(segments, seconds), sink.probe, seconds);
        }
    }
}
