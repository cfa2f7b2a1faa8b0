package dev.voxgate.engine.twopass;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionFailedException;
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
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * One two-pass stream. Every chunk goes to the first engine and into {@link UtteranceAudio}; each
 * final of the first engine marks an utterance, whose audio (from the end of the previous one, with
 * a little lead-in) is decoded by a fresh session of the second engine before {@link #accept} or
 * {@link #finish} returns, so the final reaches the listener on the driving thread as the SPI
 * requires. Partials pass straight through.
 *
 * <p>The second pass may start before the first engine's final (which waits for the first engine's
 * endpointer, or for the end of the stream): once the first engine has heard words and the audio
 * has been quiet for {@value #QUIET_SECONDS} s ({@link PauseDetector}), the utterance so far is
 * decoded ahead on {@link SpeculativeDecodes}. When the final's words all end before that pause
 * began (by the first engine's word times; its partials lag the audio, so they may still be
 * missing the last word at the pause), that decode is its second pass; otherwise it is dropped and
 * the utterance is decoded as before. A new decode ahead starts only after new speech, so a long
 * pause costs one decode, not one per chunk. The decode ahead starts at the end of the previous utterance, not
 * {@value #LEAD_IN_SECONDS} s before the first word (not known yet): the second engine finds the
 * speech in it with its own voice activity detector, so the extra lead-in is silence it drops.
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
    static final double QUIET_SECONDS = 0.2;
    /** How far past the start of the pause the first engine may place a word's end (its times are coarse). */
    static final double END_SLACK_SECONDS = 0.1;

    private final StreamingEngine second;
    private final SessionOptions options;
    private final RecognitionListener listener;
    private final int rate;
    private final UtteranceAudio audio;
    private final List<Segment> closedByFirst = new ArrayList<>();
    private final RecognitionSession first;
    private final SpeculativeDecodes ahead;
    private final PauseDetector pause;
    private boolean heardWords;
    private Ahead speculation;
    private final Object emitting = new Object();
    private boolean finished;
    private volatile boolean closed;

    /** A second pass started ahead of the final, of audio [from, to), quiet from {@code pauseFrom}. */
    private record Ahead(long from, long to, long pauseFrom, Future<String> text) {
    }

    TwoPassSession(StreamingEngine firstEngine, StreamingEngine second, SpeculativeDecodes ahead,
            SessionOptions options, RecognitionListener listener)
            throws EngineException {
        this.second = second;
        this.ahead = ahead;
        this.pause = new PauseDetector(options.sampleRate());
        this.options = options;
        this.listener = listener;
        this.rate = options.sampleRate();
        this.audio = new UtteranceAudio(MAX_HELD_SECONDS * rate);
        this.first = firstEngine.open(options, new RecognitionListener() {
            @Override
            public void onPartial(String text) {
                if (!text.isBlank()) heardWords = true;
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
        pause.accept(chunk.pcm());
        first.accept(chunk);
        redecodeClosedUtterances();
        if (!closed) speculate();
    }

    @Override
    public void finish() throws EngineException {
        if (closed) throw new IllegalStateException("session already closed");
        if (finished) return;
        finished = true;
        first.finish();
        redecodeClosedUtterances();
    }

    /** Starts the second pass of the utterance so far when words were heard and the speaker paused. */
    private void speculate() {
        if (!heardWords || !closedByFirst.isEmpty()) return;
        long quiet = pause.quietSamples();
        if (quiet < samples(QUIET_SECONDS) || pause.lastLoud() <= audio.start()) return; // no pause, or no speech
        if (speculation != null && pause.lastLoud() <= speculation.to()) return; // no speech since: still good
        dropSpeculation();
        long from = audio.start(), to = audio.end();
        byte[] pcm = audio.copy(from, to);
        speculation = new Ahead(from, to, to - quiet, ahead.submit(() -> secondPass(pcm)));
    }

    private void dropSpeculation() {
        if (speculation != null) speculation.text().cancel(false);
        speculation = null;
    }

    private void redecodeClosedUtterances() throws EngineException {
        if (closedByFirst.isEmpty()) return;
        for (Segment segment : closedByFirst) {
            if (closed) break;
            long from = Math.max(audio.start(), samples(segment.start() - LEAD_IN_SECONDS));
            long to = Math.min(audio.end(), samples(segment.end() + TAIL_SECONDS));
            if (segment.words().isEmpty()) to = audio.end();
            Ahead reused = speculation != null && !segment.words().isEmpty()
                    && samples(segment.end()) <= speculation.pauseFrom() + samples(END_SLACK_SECONDS)
                    ? speculation : null;
            if (reused == null) dropSpeculation();
            speculation = null;
            Segment result = reused != null ? fromAhead(segment, reused) : redecode(segment, audio.copy(from, to));
            audio.dropBefore(to);
            pause.reset();
            if (result.isEmpty()) continue; // the SPI never emits an empty final
            synchronized (emitting) {
                if (closed) break;
                listener.onFinal(result);
            }
        }
        closedByFirst.clear();
        heardWords = false;
    }

    private Segment redecode(Segment firstPass, byte[] pcm) {
        try {
            return toFinal(firstPass, secondPass(pcm));
        } catch (EngineException | RuntimeException e) {
            return failed(firstPass, e);
        }
    }

    private Segment fromAhead(Segment firstPass, Ahead ahead) throws EngineException {
        try {
            return toFinal(firstPass, ahead.text().get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecognitionFailedException("interrupted while waiting for " + second.descriptor().id(), e);
        } catch (ExecutionException | CancellationException e) {
            return failed(firstPass, e.getCause() instanceof Exception cause ? cause : e);
        }
    }

    private Segment failed(Segment firstPass, Exception e) {
        log.warn("{} failed on the utterance at {}–{} s, sending the first pass's final instead: {}",
                second.descriptor().id(),
                String.format(Locale.ROOT, "%.2f", firstPass.start()),
                String.format(Locale.ROOT, "%.2f", firstPass.end()), e.getMessage());
        return firstPass;
    }

    /** The second engine's text for one stretch of audio (may be empty). */
    private String secondPass(byte[] pcm) throws EngineException {
        List<Segment> finals = new ArrayList<>();
        // One utterance the first pass closed, not a recording: the second engine decodes it as it does live.
        SessionOptions piece = new SessionOptions(options.sampleRate(), options.language());
        try (RecognitionSession s = second.open(piece, new RecognitionListener() {
            @Override
            public void onFinal(Segment segment) {
                finals.add(segment);
            }
        })) {
            if (pcm.length > 0) s.accept(new AudioChunk(pcm));
            s.finish();
        }
        return String.join(" ", finals.stream().map(Segment::text).filter(t -> !t.isEmpty()).toList());
    }

    private Segment toFinal(Segment firstPass, String text) {
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
        dropSpeculation();
        first.close();
    }
}
