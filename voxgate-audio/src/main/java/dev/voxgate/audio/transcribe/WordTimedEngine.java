package dev.voxgate.audio.transcribe;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineDescriptor;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.api.Word;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A file engine whose finals carry word times: the {@code text} engine's words (Whisper's, say, which
 * has none) timed by a second, {@code timing} engine (Vosk) run beside it over the same audio, through
 * {@link WordAligner}. Both sessions run on the caller's thread, so the cost is the timing engine's
 * CPU on top of the text engine's. A final is held until the timing engine has heard past its end
 * (or the stream finishes), then sent with its words; the text, the segments and their times are the
 * text engine's, unchanged. Partials are the text engine's.
 *
 * <p>When the timing engine does not take the session's sample rate or language, the session is the
 * text engine's own. Closing this engine closes neither engine: it borrows them. A session's
 * {@code close} may come from another thread: callbacks are made under a lock that close takes, so
 * none runs once it has returned.
 */
public final class WordTimedEngine implements StreamingEngine {
    /** Timed words this far outside a segment may still be its words: the two engines cut utterances differently. */
    static final double SLACK_SECONDS = 0.5;

    private final StreamingEngine text;
    private final StreamingEngine timing;
    private final EngineDescriptor descriptor;

    public WordTimedEngine(StreamingEngine text, StreamingEngine timing) {
        this.text = text;
        this.timing = timing;
        EngineDescriptor d = text.descriptor();
        EngineCapabilities c = d.capabilities();
        this.descriptor = new EngineDescriptor(d.id(), d.description(), d.version(), new EngineCapabilities(
                c.streaming(), c.partials(), true, c.sampleRates(), c.preferredSampleRate(), c.languages()), d.model());
    }

    /** The text engine's descriptor, with word timings. */
    @Override
    public EngineDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public boolean isReady() {
        return text.isReady() && timing.isReady();
    }

    @Override
    public RecognitionSession open(SessionOptions options, RecognitionListener listener) throws EngineException {
        EngineCapabilities t = timing.descriptor().capabilities();
        if (!t.acceptsSampleRate(options.sampleRate()) || !t.supportsLanguage(options.language())) {
            return text.open(options, listener);
        }
        return new Session(options, listener);
    }

    /** Borrowed engines are closed by their owner. */
    @Override
    public void close() {
        // nothing of its own to release
    }

    private final class Session implements RecognitionSession {
        private final RecognitionListener listener;
        private final Deque<Segment> held = new ArrayDeque<>();
        private final List<Word> timedWords = new ArrayList<>();
        private final RecognitionSession textSession;
        private final RecognitionSession timingSession;
        private final Object emitting = new Object();
        private double timedUpTo;
        private volatile boolean closed;

        Session(SessionOptions options, RecognitionListener listener) throws EngineException {
            this.listener = listener;
            this.textSession = text.open(options, new RecognitionListener() {
                @Override
                public void onPartial(String partial) {
                    synchronized (emitting) {
                        if (!closed) listener.onPartial(partial);
                    }
                }

                @Override
                public void onFinal(Segment segment) {
                    held.add(segment);
                }
            });
            RecognitionSession opened;
            try {
                opened = timing.open(options, new RecognitionListener() {
                    @Override
                    public void onFinal(Segment segment) {
                        timedWords.addAll(segment.words());
                        timedUpTo = Math.max(timedUpTo, segment.end());
                    }
                });
            } catch (EngineException | RuntimeException e) {
                textSession.close();
                throw e;
            }
            this.timingSession = opened;
        }

        @Override
        public void accept(AudioChunk chunk) throws EngineException {
            timingSession.accept(chunk);
            textSession.accept(chunk);
            sendTimed(false);
        }

        @Override
        public void finish() throws EngineException {
            timingSession.finish();
            textSession.finish();
            sendTimed(true);
        }

        /** Sends the held finals the timing engine has heard past (all of them at the end). */
        private void sendTimed(boolean all) {
            while (!held.isEmpty() && (all || held.peekFirst().end() + SLACK_SECONDS <= timedUpTo)) {
                Segment s = held.removeFirst();
                List<Word> near = timedWords.stream().filter(w -> w.end() > s.start() - SLACK_SECONDS
                        && w.start() < s.end() + SLACK_SECONDS).toList();
                Segment timed = new Segment(s.text(), s.start(), s.end(),
                        WordAligner.align(s.text(), s.start(), s.end(), near));
                synchronized (emitting) {
                    if (closed) return;
                    listener.onFinal(timed);
                }
                // Words before this segment's start can belong to no later segment: finals do not go back.
                timedWords.removeIf(w -> w.end() <= s.start() - SLACK_SECONDS);
            }
        }

        @Override
        public void close() {
            synchronized (emitting) { // waits for a callback in progress on the driving thread
                closed = true;
            }
            try {
                timingSession.close();
            } finally {
                textSession.close();
            }
        }
    }
}
