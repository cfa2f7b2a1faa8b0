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
 * One whole recording ({@link SessionOptions#wholeRecording()}): the audio is held, up to Whisper's
 * 30 s window, and decoded as the model is meant to be used — a recording that fits the window is
 * decoded once, whole, at {@link #finish()}; a longer one in windows of at most 30 s cut at the best
 * pauses ({@link RecordingWindows}), each decoded once its successor has begun. Each window with
 * speech is one final, its start and end those of the speech in it (Silero VAD, as live). Not the
 * live {@link WhisperSession}'s utterances: cutting a recording at every pause and padding each
 * piece changes what the model hears and costs accuracy (docs/whisper-file-path.md).
 *
 * <p>Memory: one window of audio as floats (about 1.9 MB). Threads and {@link #close()} as
 * {@link WhisperSession}.
 */
final class WhisperRecordingSession implements RecognitionSession {
    private static final float SCALE = 1f / 32768f;

    private final WhisperDecoder decoder;
    private final SileroVad.Stream vad;
    private final RecordingWindows windows;
    private final RecognitionListener listener;
    private final int rate;
    private final int frame;
    private final int maxSamples;
    /** The audio since the current window's start, and each whole frame's probability and energy. */
    private final float[] audio;
    private final float[] probability;
    private final float[] rms;
    private int length;
    private int frames;
    private long windowStart;
    private boolean finished;
    private volatile boolean closed;

    WhisperRecordingSession(WhisperDecoder decoder, SileroVad vad, SegmenterConfig config,
            RecognitionListener listener) {
        this.decoder = decoder;
        this.vad = vad.newStream();
        this.windows = new RecordingWindows(config);
        this.listener = listener;
        this.rate = config.sampleRate();
        this.frame = config.frameSamples();
        this.maxSamples = config.maxSamples();
        this.audio = new float[maxSamples + frame];
        this.probability = new float[windows.maxFrames() + 2];
        this.rms = new float[probability.length];
    }

    @Override
    public void accept(AudioChunk chunk) throws EngineException {
        if (closed || finished) throw new IllegalStateException("session already " + (closed ? "closed" : "finished"));
        byte[] pcm = chunk.pcm();
        for (int i = 0; i < pcm.length; i += 2) {
            audio[length++] = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8)) * SCALE;
            if (length == (frames + 1) * frame) {
                scoreFrame();
                if (length > maxSamples) decodeWindow(windows.cut(probability, rms, frames));
                if (closed) return;
            }
        }
    }

    @Override
    public void finish() throws EngineException {
        if (closed) throw new IllegalStateException("session already closed");
        if (finished) return;
        finished = true;
        if (length > maxSamples) decodeWindow(windows.cut(probability, rms, frames));
        decodeWindow(frames);
    }

    private void scoreFrame() throws EngineException {
        float[] f = new float[frame];
        System.arraycopy(audio, frames * frame, f, 0, frame);
        double sum = 0;
        for (float s : f) sum += s * s;
        try {
            probability[frames] = vad.probability(f);
        } catch (OrtException | RuntimeException e) {
            throw failure("Silero VAD failed at " + seconds(windowStart + length) + " s", e);
        }
        rms[frames] = (float) Math.sqrt(sum / frame);
        frames++;
    }

    /**
     * Decodes the held audio up to frame {@code cut} (at finish, all of it: {@code cut} is every whole
     * frame and the tail shorter than a frame goes with them) and keeps what follows as the next window.
     */
    private void decodeWindow(int cut) throws EngineException {
        int samples = finished && cut == frames ? length : cut * frame;
        Optional<RecordingWindows.Span> speech = windows.speech(probability, cut);
        if (speech.isPresent()) {
            float[] pcm = Arrays.copyOf(audio, samples);
            long from = windowStart + (long) speech.get().from() * frame;
            long to = windowStart + Math.min(samples, speech.get().to() == cut ? samples : speech.get().to() * frame);
            emit(decode(pcm), from, to);
        }
        System.arraycopy(audio, samples, audio, 0, length - samples);
        System.arraycopy(probability, cut, probability, 0, frames - cut);
        System.arraycopy(rms, cut, rms, 0, frames - cut);
        length -= samples;
        frames -= cut;
        windowStart += samples;
    }

    private String decode(float[] pcm) throws EngineException {
        if (closed) return "";
        try {
            return decoder.transcribe(pcm);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecognitionFailedException("interrupted while waiting for Whisper", e);
        } catch (OrtException | RuntimeException e) {
            throw failure("Whisper failed on the window at " + seconds(windowStart) + "–"
                    + seconds(windowStart + pcm.length) + " s", e);
        }
    }

    private void emit(String text, long from, long to) {
        Segment segment = new Segment(text, from / (double) rate, to / (double) rate, List.of());
        if (segment.isEmpty()) return; // silence or non-speech: the SPI never emits an empty final
        synchronized (this) {
            if (!closed) listener.onFinal(segment);
        }
    }

    private EngineException failure(String what, Exception e) {
        if (decoder.isClosed()) return new EngineUnavailableException("the Whisper engine was shut down", e);
        return new RecognitionFailedException(what + ": " + e.getMessage(), e);
    }

    private String seconds(long samples) {
        return String.format(Locale.ROOT, "%.2f", samples / (double) rate);
    }

    /** Waits for a final being delivered on the driving thread, if any; then nothing more is delivered. */
    @Override
    public synchronized void close() {
        closed = true;
    }
}
