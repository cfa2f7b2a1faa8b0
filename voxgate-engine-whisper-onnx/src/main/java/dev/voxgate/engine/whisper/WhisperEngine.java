package dev.voxgate.engine.whisper;

import ai.onnxruntime.OrtException;
import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineDescriptor;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionFailedException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.api.UnsupportedAudioException;

import java.util.List;
import java.util.Map;

/**
 * Whisper tiny.en on ONNX Runtime behind Silero VAD: accurate, cased and punctuated finals per
 * utterance, no partials. Loaded once and shared by every recognition session: one VAD session, and
 * a pool of Whisper sessions, one per decode that may run at once (the cores). Decodes run on the
 * callers' threads, each on a session of its own from the pool; a caller beyond the pool waits. A session
 * opened for a {@linkplain SessionOptions#wholeRecording() whole recording} decodes one that fits the
 * 30 s window whole, as the model is meant to be called ({@link WhisperRecordingSession}).
 */
public final class WhisperEngine implements StreamingEngine {
    private final WhisperDecoder decoder;
    private final SileroVad vad;
    private final SegmenterConfig segmenter;
    private final EngineDescriptor descriptor;
    private volatile boolean closed;

    WhisperEngine(WhisperDecoder decoder, SileroVad vad, SegmenterConfig segmenter, Map<String, String> model,
            String version) {
        this.decoder = decoder;
        this.vad = vad;
        this.segmenter = segmenter;
        this.descriptor = new EngineDescriptor(WhisperEngineProvider.ID,
                "Whisper tiny.en (int8 ONNX) on ONNX Runtime, utterances cut by Silero VAD", version, capabilities(),
                model);
    }

    static EngineCapabilities capabilities() {
        return new EngineCapabilities(true, false, false, List.of(WhisperDecoder.SAMPLE_RATE),
                WhisperDecoder.SAMPLE_RATE, List.of("en"));
    }

    @Override
    public EngineDescriptor descriptor() {
        return descriptor;
    }

    /** The model itself, for tests that hold the sessions to what one call of it hears. */
    WhisperDecoder decoder() {
        return decoder;
    }

    /**
     * One call of the model on the whole of {@code pcm} (16 kHz, at most 30 s): no voice activity
     * detection, no cutting, no lead-in. What the model itself makes of the audio, the reference the
     * file path is held to (docs/whisper-file-path.md); the benchmark reports both.
     */
    public String transcribeWhole(short[] pcm) throws EngineException {
        if (closed) throw new EngineUnavailableException("the Whisper engine is shut down");
        float[] f = new float[pcm.length];
        for (int i = 0; i < f.length; i++) f[i] = pcm[i] / 32768f;
        try {
            return decoder.transcribe(f);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecognitionFailedException("interrupted while waiting for Whisper", e);
        } catch (OrtException | RuntimeException e) {
            throw new RecognitionFailedException("Whisper failed on " + pcm.length / (double) WhisperDecoder.SAMPLE_RATE
                    + " s of audio: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isReady() {
        return !closed;
    }

    @Override
    public RecognitionSession open(SessionOptions options, RecognitionListener listener) throws EngineException {
        if (closed) throw new EngineUnavailableException("the Whisper engine is shut down");
        if (options.sampleRate() != WhisperDecoder.SAMPLE_RATE) {
            throw new UnsupportedAudioException("Whisper takes " + WhisperDecoder.SAMPLE_RATE + " Hz audio, not "
                    + options.sampleRate());
        }
        if (!descriptor.capabilities().supportsLanguage(options.language())) {
            throw new UnsupportedAudioException("this Whisper model (tiny.en) recognises "
                    + descriptor.capabilities().languages()
                    + ", not '" + options.language() + "'");
        }
        if (options.wholeRecording()) return new WhisperRecordingSession(decoder, vad, segmenter, listener);
        return new WhisperSession(decoder, vad, segmenter, listener);
    }

    /**
     * Waits for decodes in progress, then frees the native sessions; sessions still open fail with engine_unavailable.
     */
    @Override
    public void close() {
        closed = true;
        decoder.close();
        vad.close();
    }
}
