package dev.voxgate.engine.whisper;

import ai.onnxruntime.OrtException;
import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionFailedException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One whole recording ({@link SessionOptions#wholeRecording()}). The audio is held while it fits
 * Whisper's 30 s window; a recording that ends within it is decoded once, whole, at {@link #finish()}
 * — exactly what the model hears when called on the file — and reported as one final spanning the
 * speech Silero VAD hears in it (none, and no decode, when it hears no speech). Cutting such a
 * recording at the VAD's pauses and padding each piece changes what the model hears and costs
 * accuracy (docs/whisper-file-path.md).
 *
 * <p>A recording that goes past 30 s is handed, from its start, to a live {@link WhisperSession}
 * (utterances cut at pauses): on the team's set, four and a half minutes of joined recordings scored
 * 3.4% that way against 6.3% decoded in 30 s windows cut at the pauses between recordings, where
 * tiny.en now and then drops sentences of a full window.
 *
 * <p>Memory: at most 30 s of audio (about 1 MB). Threads and {@link #close()} as {@link WhisperSession}.
 */
final class WhisperRecordingSession implements RecognitionSession {
    private static final float SCALE = 1f / 32768f;

    private final WhisperDecoder decoder;
    private final SileroVad vadModel;
    private final SileroVad.Stream vad;
    private final SegmenterConfig config;
    private final RecordingSpeech speech;
    private final RecognitionListener listener;
    private final int frame;
    /** The recording so far, while it fits the window: PCM16 as received, and each whole frame's probability. */
    private final byte[] pcm;
    private final float[] probability;
    private final float[] samples;
    private int length;
    private int frames;
    /** Set once the recording is longer than the window: it gets everything from then on. */
    private WhisperSession utterances;
    private boolean finished;
    private volatile boolean closed;

    WhisperRecordingSession(WhisperDecoder decoder, SileroVad vad, SegmenterConfig config,
            RecognitionListener listener) {
        this.decoder = decoder;
        this.vadModel = vad;
        this.vad = vad.newStream();
        this.config = config;
        this.speech = new RecordingSpeech(config);
        this.listener = listener;
        this.frame = config.frameSamples();
        this.pcm = new byte[2 * config.maxSamples()];
        this.samples = new float[config.maxSamples()];
        this.probability = new float[config.maxSamples() / frame];
    }

    @Override
    public void accept(AudioChunk chunk) throws EngineException {
        if (closed || finished) throw new IllegalStateException("session already " + (closed ? "closed" : "finished"));
        if (utterances != null) {
            utterances.accept(chunk);
            return;
        }
        byte[] in = chunk.pcm();
        if (length + in.length > pcm.length) {
            longerThanTheWindow(chunk);
            return;
        }
        System.arraycopy(in, 0, pcm, length, in.length);
        int from = length / 2;
        length += in.length;
        for (int i = from; i < length / 2; i++) {
            samples[i] = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8)) * SCALE;
            if (i + 1 == (frames + 1) * frame) scoreFrame();
        }
    }

    @Override
    public void finish() throws EngineException {
        if (closed) throw new IllegalStateException("session already closed");
        if (finished) return;
        finished = true;
        if (utterances != null) {
            utterances.finish();
            return;
        }
        Optional<RecordingSpeech.Span> span = speech.speech(probability, frames);
        if (span.isEmpty()) return;
        int n = length / 2;
        String text = decode(Arrays.copyOf(samples, n));
        int rate = config.sampleRate();
        int to = span.get().to() == frames ? n : span.get().to() * frame;
        Segment segment = new Segment(text, span.get().from() * frame / (double) rate, to / (double) rate, List.of());
        if (segment.isEmpty()) return; // silence or non-speech: the SPI never emits an empty final
        synchronized (this) {
            if (!closed) listener.onFinal(segment);
        }
    }

    /** From here on the recording is decoded as a live stream, from its start. */
    private void longerThanTheWindow(AudioChunk chunk) throws EngineException {
        WhisperSession live = new WhisperSession(decoder, vadModel, config, listener);
        synchronized (this) { // close() reads it
            utterances = live;
            if (closed) live.close();
        }
        utterances.accept(new AudioChunk(Arrays.copyOf(pcm, length)));
        length = 0;
        if (!closed) utterances.accept(chunk);
    }

    private void scoreFrame() throws EngineException {
        float[] f = Arrays.copyOfRange(samples, frames * frame, (frames + 1) * frame);
        try {
            probability[frames++] = vad.probability(f);
        } catch (OrtException | RuntimeException e) {
            throw failure("Silero VAD failed at " + seconds(frames * frame) + " s", e);
        }
    }

    private String decode(float[] audio) throws EngineException {
        if (closed) return "";
        try {
            return decoder.transcribe(audio);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecognitionFailedException("interrupted while waiting for Whisper", e);
        } catch (OrtException | RuntimeException e) {
            throw failure("Whisper failed on the recording (" + seconds(audio.length) + " s)", e);
        }
    }

    private EngineException failure(String what, Exception e) {
        if (decoder.isClosed()) return new EngineUnavailableException("the Whisper engine was shut down", e);
        return new RecognitionFailedException(what + ": " + e.getMessage(), e);
    }

    private String seconds(long n) {
        return String.format(Locale.ROOT, "%.2f", n / (double) config.sampleRate());
    }

    /** Waits for a final being delivered on the driving thread, if any; then nothing more is delivered. */
    @Override
    public synchronized void close() {
        closed = true;
        if (utterances != null) utterances.close();
    }
}
