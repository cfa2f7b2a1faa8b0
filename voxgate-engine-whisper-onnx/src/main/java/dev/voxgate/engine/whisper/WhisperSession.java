package dev.voxgate.engine.whisper;

import ai.onnxruntime.OrtException;
import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionFailedException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;

import java.util.List;
import java.util.Locale;

/**
 * One stream: PCM is cut into 32 ms frames for the VAD, the segmenter turns frames into
 * utterances, and each utterance is decoded by Whisper on the calling thread and reported as a
 * final with the utterance's start and end. No partials; no word timings (the graph gives none).
 *
 * <p>The session holds no native memory of its own (the VAD state is a Java array), so
 * {@link #close()} may come from any thread at any time: a decode already running completes and its
 * result is dropped. A final is handed to the listener while holding the session's lock, and
 * {@link #close()} takes the same lock, so once {@code close()} has returned no callback is running
 * and none follows (the check of {@code closed} and the callback cannot be split by a close).
 */
final class WhisperSession implements RecognitionSession {
    private static final float SCALE = 1f / 32768f;

    private final WhisperDecoder decoder;
    private final SileroVad.Stream vad;
    private final SpeechSegmenter segmenter;
    private final RecognitionListener listener;
    private final int rate;
    private final float[] frame = new float[SileroVad.FRAME];
    private int filled;
    private boolean finished;
    private volatile boolean closed;

    WhisperSession(WhisperDecoder decoder, SileroVad vad, SegmenterConfig config, RecognitionListener listener) {
        this.decoder = decoder;
        this.vad = vad.newStream();
        this.segmenter = new SpeechSegmenter(config);
        this.listener = listener;
        this.rate = config.sampleRate();
    }

    @Override
    public void accept(AudioChunk chunk) throws EngineException {
        if (closed || finished) throw new IllegalStateException("session already " + (closed ? "closed" : "finished"));
        byte[] pcm = chunk.pcm();
        for (int i = 0; i < pcm.length; i += 2) {
            frame[filled++] = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8)) * SCALE;
            if (filled == frame.length) {
                filled = 0;
                float p;
                try {
                    p = vad.probability(frame);
                } catch (OrtException | RuntimeException e) {
                    throw failure("Silero VAD failed at " + seconds(segmenter.position()) + " s", e);
                }
                decode(segmenter.accept(frame, p));
                if (closed) return;
            }
        }
    }

    @Override
    public void finish() throws EngineException {
        if (closed) throw new IllegalStateException("session already closed");
        if (finished) return;
        finished = true;
        decode(segmenter.finish(frame, filled));
        filled = 0;
    }

    private void decode(List<SpeechSegmenter.Utterance> utterances) throws EngineException {
        for (SpeechSegmenter.Utterance u : utterances) {
            if (closed) return;
            String text;
            try {
                text = decoder.transcribe(u.samples());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RecognitionFailedException("interrupted while waiting for Whisper", e);
            } catch (OrtException | RuntimeException e) {
                throw failure("Whisper failed on the utterance at " + seconds(u.start()) + "–" + seconds(u.end())
                        + " s", e);
            }
            Segment segment = new Segment(text, u.startSeconds(rate), u.endSeconds(rate), List.of());
            if (segment.isEmpty()) continue; // silence or non-speech: the SPI never emits an empty final
            synchronized (this) {
                if (closed) return;
                listener.onFinal(segment);
            }
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
