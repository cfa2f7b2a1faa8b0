package dev.voxgate.engine.whisper;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionFailedException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Live audio cut into utterances by the bundled Silero VAD and the segmenter the Whisper engine uses
 * ({@link SegmenterConfig#defaults()}), for engines that send whole utterances elsewhere (the {@code openai} engine
 * posts each one to a transcription API). Loaded once and shared; each stream has its own {@link Stream}.
 *
 * <p>Threads: {@link Stream} is not thread-safe (one per recognition session, on its driving thread); the shared VAD
 * may be run by many streams at once.
 */
public final class SpeechUtterances implements AutoCloseable {
    /** The rate the VAD takes. */
    public static final int SAMPLE_RATE = WhisperDecoder.SAMPLE_RATE;

    /**
     * One utterance.
     *
     * @param start seconds from the start of the stream
     * @param end   seconds from the start of the stream
     * @param pcm   16 kHz PCM16 samples, owned by the receiver
     */
    public record Utterance(double start, double end, short[] pcm) {
    }

    private final SileroVad vad;
    private final SegmenterConfig config = SegmenterConfig.defaults();

    private SpeechUtterances(SileroVad vad) {
        this.vad = vad;
    }

    /** Loads the bundled Silero VAD (extracted into {@code cacheDir} once). */
    public static SpeechUtterances load(Path cacheDir) throws EngineUnavailableException {
        ModelSpec spec;
        try {
            spec = ModelSpec.vad();
        } catch (RuntimeException e) {
            throw new EngineUnavailableException("this build does not say which VAD model it carries ("
                    + e.getMessage() + "): build voxgate-engine-whisper-onnx with Maven", e);
        }
        Path file = ModelCache.bundled(spec, cacheDir);
        try {
            return new SpeechUtterances(SileroVad.load(OrtEnvironment.getEnvironment(), file));
        } catch (OrtException | RuntimeException | LinkageError e) {
            throw new EngineUnavailableException("ONNX Runtime could not load the Silero VAD model " + file + ": "
                    + e.getMessage(), e);
        }
    }

    public Stream newStream() {
        return new Stream();
    }

    @Override
    public void close() {
        vad.close();
    }

    /** The utterances of one stream of 16 kHz PCM16, as they end. */
    public final class Stream {
        private static final float SCALE = 1f / 32768f;
        private final SileroVad.Stream frames = vad.newStream();
        private final SpeechSegmenter segmenter = new SpeechSegmenter(config);
        private final float[] frame = new float[SileroVad.FRAME];
        private int filled;

        /** Takes the next audio; returns the utterances it ended, usually none. */
        public List<Utterance> accept(byte[] pcm) throws EngineException {
            List<Utterance> out = new ArrayList<>(1);
            for (int i = 0; i + 1 < pcm.length; i += 2) {
                frame[filled++] = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8)) * SCALE;
                if (filled == frame.length) {
                    filled = 0;
                    float p;
                    try {
                        p = frames.probability(frame);
                    } catch (OrtException | RuntimeException e) {
                        throw new RecognitionFailedException("Silero VAD failed: " + e.getMessage(), e);
                    }
                    for (SpeechSegmenter.Utterance u : segmenter.accept(frame, p)) out.add(convert(u));
                }
            }
            return out;
        }

        /** Ends the stream: the utterance in progress, if any. */
        public List<Utterance> finish() {
            List<Utterance> out = new ArrayList<>(1);
            for (SpeechSegmenter.Utterance u : segmenter.finish(frame, filled)) out.add(convert(u));
            filled = 0;
            return out;
        }

        private Utterance convert(SpeechSegmenter.Utterance u) {
            float[] f = u.samples();
            short[] s = new short[f.length];
            for (int i = 0; i < f.length; i++) {
                s[i] = (short) Math.max(-32768, Math.min(32767, Math.round(f[i] * 32768f)));
            }
            return new Utterance(u.startSeconds(SAMPLE_RATE), u.endSeconds(SAMPLE_RATE), s);
        }
    }
}
