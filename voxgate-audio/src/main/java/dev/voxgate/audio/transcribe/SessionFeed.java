package dev.voxgate.audio.transcribe;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.Pcm16;

import java.util.ArrayList;
import java.util.List;

/**
 * One engine session fed a whole recording in fixed pieces (0.1 s by default, as a live client
 * sends them), collecting its finals into a {@link Transcript}: the loop that both
 * {@link OfflineTranscriber} (audio in memory) and {@link DecodingTranscriber} (audio as it is
 * decoded) drive. The SPI promises no empty final ({@code SpeechEngineContract} checks the engines
 * of this repository); one from an engine outside it is still left out here, the one place that
 * collects finals for files. The session is opened as a {@linkplain SessionOptions#wholeRecording() whole
 * recording}, so an engine may decode it in the pieces that recognise best rather than as a live
 * stream (see docs/whisper-file-path.md). Not thread-safe; one caller drives it.
 */
final class SessionFeed implements AutoCloseable {
    private final RecognitionSession session;
    private final List<Segment> segments = new ArrayList<>();
    private final short[] pending;
    private int filled;

    SessionFeed(StreamingEngine engine, int sampleRate, String language, double pieceSeconds) throws EngineException {
        this.pending = new short[Math.max(1, (int) (sampleRate * pieceSeconds))];
        this.session = engine.open(new SessionOptions(sampleRate, language, true), new RecognitionListener() {
            @Override
            public void onFinal(Segment segment) {
                if (!segment.isEmpty()) segments.add(segment);
            }
        });
    }

    /** Queues samples; every full piece goes to the engine at once. */
    void accept(short[] samples, int offset, int length) throws EngineException {
        for (int pos = offset, end = offset + length; pos < end; ) {
            int n = Math.min(pending.length - filled, end - pos);
            System.arraycopy(samples, pos, pending, filled, n);
            pos += n;
            filled += n;
            if (filled == pending.length) flush();
        }
    }

    /** Sends what is queued, finishes the session and returns its transcript of {@code seconds} of audio. */
    Transcript finish(double seconds) throws EngineException {
        flush();
        session.finish();
        return new Transcript(segments, seconds);
    }

    private void flush() throws EngineException {
        if (filled == 0) return;
        session.accept(new AudioChunk(Pcm16.toBytes(pending, 0, filled)));
        filled = 0;
    }

    @Override
    public void close() {
        session.close();
    }
}
