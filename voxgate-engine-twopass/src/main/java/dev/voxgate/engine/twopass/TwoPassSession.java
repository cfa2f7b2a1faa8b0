package dev.voxgate.engine.twopass;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.transcribe.WordAligner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One two-pass stream. Every chunk goes to the first engine and into {@link UtteranceAudio}; each
 * final of the first engine marks an utterance, whose audio (from the end of the previous one, with
 * a little lead-in) is decoded by a fresh session of the second engine before {@link #accept} or
 * {@link #finish} returns, so the final reaches the listener on the driving thread as the SPI
 * requires. Partials pass straight through.
 *
 * <p>When the second engine fails, the first engine's final is sent instead (and logged): a
 * worse final beats a lost one. When the second engine hears nothing in an utterance the first
 * engine gave {@value #FALLBACK_MIN_WORDS} or more words, the first engine's text is kept too
 * (a VAD that missed quiet speech must not drop it); shorter ones are taken as noise and dropped.
 *
 * <p>{@link #close()} may come from another thread while the session decodes: callbacks are made
 * under {@code emitting}, which close takes, after checking {@code closed}; so once close has
 * returned no callback is running and none follows, as the SPI requires.
 */
final class TwoPassSession implements RecognitionSession {
    private static final Logger log = LoggerFactory.getLogger(TwoPassSession.class);
    static final int FALLBACK_MIN_WORDS = 3;
    private static final double LEAD_IN_SECONDS = 0.3;
    private static final double TAIL_SECONDS = 0.3;
    private static final int MAX_HELD_SECONDS = 120;

    private final StreamingEngine second;
    private final SessionOptions options;
    private final RecognitionListener listener;
    private final int rate;
    private final UtteranceAudio audio;
    private final List<Segment> closedByFirst = new ArrayList<>();
    private final RecognitionSession first;
    private final Object emitting = new Object();
    private boolean finished;
    private volatile boolean closed;

    TwoPassSession(StreamingEngine firstEngine, StreamingEngine second, SessionOptions options,
            RecognitionListener listener)
            throws EngineException {
        this.second = second;
        this.options = options;
        this.listener = listener;
        this.rate = options.sampleRate();
        this.audio = new UtteranceAudio(MAX_HELD_SECONDS * rate);
        this.first = firstEngine.open(options, new RecognitionListener() {
            @Override
            public void onPartial(String text) {
                synchronized (emitting) {
                    if (!closed) listener.onPartial(text);
                }
            }

            @Override
            public void onFinal(Segment segment) {
                closedByFirst.add(segment); // decoded once the first engine's call has returned
            }
        });
    }

    @Override
    public void accept(AudioChunk chunk) throws EngineException {
        if (closed || finished) throw new IllegalStateException("session already " + (closed ? "closed" : "finished"));
        audio.append(chunk.pcm());
        first.accept(chunk);
        redecodeClosedUtterances();
    }

    @Override
    public void finish() throws EngineException {
        if (closed) throw new IllegalStateException("session already closed");
        if (finished) return;
        finished = true;
        first.finish();
        redecodeClosedUtterances();
    }

    private void redecodeClosedUtterances() throws EngineException {
        for (Segment segment : closedByFirst) {
            if (closed) break;
            long from = Math.max(audio.start(), samples(segment.start() - LEAD_IN_SECONDS));
            long to = Math.min(audio.end(), samples(segment.end() + TAIL_SECONDS));
            if (segment.words().isEmpty()) to = audio.end();
            Segment result = redecode(segment, audio.copy(from, to));
            audio.dropBefore(to);
            if (result.isEmpty()) continue; // the SPI never emits an empty final
            synchronized (emitting) {
                if (closed) break;
                listener.onFinal(result);
            }
        }
        closedByFirst.clear();
    }

    private Segment redecode(Segment firstPass, byte[] pcm) {
        List<Segment> finals = new ArrayList<>();
        try (RecognitionSession s = second.open(options, new RecognitionListener() {
            @Override
            public void onFinal(Segment segment) {
                finals.add(segment);
            }
        })) {
            if (pcm.length > 0) s.accept(new AudioChunk(pcm));
            s.finish();
        } catch (EngineException | RuntimeException e) {
            log.warn("{} failed on the utterance at {}–{} s, sending the first pass's final instead: {}",
                    second.descriptor().id(),
                    String.format(Locale.ROOT, "%.2f", firstPass.start()),
                    String.format(Locale.ROOT, "%.2f", firstPass.end()), e.getMessage());
            return firstPass;
        }
        String text = String.join(" ", finals.stream().map(Segment::text).filter(t -> !t.isEmpty()).toList());
        if (text.isEmpty()) {
            return firstPass.words().size() >= FALLBACK_MIN_WORDS ? firstPass
                    : new Segment("", firstPass.start(), firstPass.end(), List.of());
        }
        return new Segment(text, firstPass.start(), firstPass.end(),
                WordAligner.align(text, firstPass.start(), firstPass.end(), firstPass.words()));
    }

    private long samples(double seconds) {
        return Math.max(0, Math.round(seconds * rate));
    }

    @Override
    public void close() {
        synchronized (emitting) { // waits for a callback in progress on the driving thread
            if (closed) return;
            closed = true;
        }
        first.close();
    }
}
