package dev.voxgate.server.engine;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.api.UnsupportedAudioException;
import dev.voxgate.api.Word;
import dev.voxgate.audio.Pcm16;
import dev.voxgate.audio.Resampler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A session on the first engine of a fallback chain that can take it, which moves on to the next engine when its
 * engine fails, losing no accepted audio: the audio since the last final is kept, and replayed to the next engine,
 * whose results are shifted to the session's time line. The client hears a notice through
 * {@link EngineSwitchListener} when the listener is one.
 *
 * <p>The audio kept is at most {@value #MAX_REPLAY_SECONDS} s (an utterance that never ends): beyond that the oldest
 * is dropped, and a later switch says so in the log.
 *
 * <p>Threads: as any {@link RecognitionSession}; the engine sessions it opens are driven on the same thread, and their
 * callbacks pass straight through (an abandoned engine's late callbacks are dropped).
 */
final class FallbackSession implements RecognitionSession {
    private static final Logger log = LoggerFactory.getLogger(FallbackSession.class);
    static final int MAX_REPLAY_SECONDS = 120;
    /** Replayed audio is fed in pieces of this much, as a live session would have been. */
    private static final double REPLAY_PIECE_SECONDS = 0.5;

    private final EngineFallback fallback;
    private final List<String> candidates;
    private final SessionOptions options;
    private final RecognitionListener listener;
    private final int rate;
    private int next;

    // Driving thread only.
    private RecognitionSession current;
    private String currentId;
    private Relay relay;
    private Resampler resampler;
    private short[] replay = new short[0];
    private int replayLength;
    private long replayStart;  // session sample index of replay[0]
    private long fed;          // session samples accepted
    private boolean replayTruncated;
    private boolean finished;
    private volatile boolean closed;

    FallbackSession(EngineFallback fallback, List<String> candidates, SessionOptions options,
            RecognitionListener listener) {
        this.fallback = fallback;
        this.candidates = candidates;
        this.options = options;
        this.listener = listener;
        this.rate = options.sampleRate();
    }

    /** Opens the first engine that takes the session; a refusal of the request itself is the requested engine's. */
    void openFirst() throws EngineException {
        openNext(null, null);
    }

    /**
     * Opens the next usable candidate.
     *
     * @param from the engine that failed, or null at the start
     * @param why  its failure, or null at the start
     * @throws EngineException the last failure when no candidate is left
     */
    private void openNext(String from, EngineException why) throws EngineException {
        EngineException last = why;
        while (next < candidates.size()) {
            String id = candidates.get(next++);
            Optional<StreamingEngine> engine = fallback.usable(id);
            if (engine.isEmpty()) continue;
            var caps = engine.get().descriptor().capabilities();
            int engineRate = caps.acceptsSampleRate(rate) ? rate : caps.preferredSampleRate();
            Relay r = new Relay(replayStart / (double) rate);
            long t0 = System.nanoTime();
            try {
                current = engine.get().open(new SessionOptions(engineRate, options.language(),
                        options.wholeRecording()), r);
            } catch (UnsupportedAudioException e) {
                if (from == null && next == 1) throw e; // the client asked the requested engine for what it cannot do
                last = e;
                continue;
            } catch (EngineException e) {
                long spent = System.nanoTime() - t0;
                fallback.failed(id, e, spent);
                log.warn("engine {} could not open a session: {}", id, e.getMessage());
                last = e;
                if (from == null) from = id;
                continue;
            }
            long spent = System.nanoTime() - t0;
            fallback.succeeded(id, spent);
            fallback.events().opened(id, spent);
            currentId = id;
            relay = r;
            resampler = engineRate == rate ? null : new Resampler(rate, engineRate);
            if (from == null && !id.equals(candidates.get(0))) from = candidates.get(0); // it was down: skipped
            if (from != null) {
                fallback.events().fellBack(from, id);
                if (listener instanceof EngineSwitchListener n) {
                    n.onEngineSwitched(from, id, "engine '" + from + "' is unavailable; this session continues on '"
                            + id + "'" + (fed > 0 ? " from the end of the last final" : ""));
                }
            }
            return;
        }
        throw EngineFallback.noneLeft(candidates.get(0), last);
    }

    @Override
    public void accept(AudioChunk chunk) throws EngineException {
        if (closed || finished) throw new IllegalStateException("session already " + (closed ? "closed" : "finished"));
        short[] samples = Pcm16.toSamples(chunk.pcm());
        keep(samples);
        fed += samples.length;
        try {
            if (resampler == null) current.accept(chunk); // the chunk is immutable: no copy needed
            else feed(samples);
        } catch (EngineException e) {
            failOver(e);
        }
    }

    @Override
    public void finish() throws EngineException {
        if (closed) throw new IllegalStateException("session already closed");
        if (finished) return;
        finished = true;
        while (true) {
            long t0 = System.nanoTime();
            try {
                if (resampler != null) {
                    short[] tail = resampler.flush();
                    if (tail.length > 0) current.accept(new AudioChunk(Pcm16.toBytes(tail)));
                }
                current.finish();
                fallback.events().finished(currentId, System.nanoTime() - t0);
                return;
            } catch (EngineException e) {
                if (closed) throw e;
                failOver(e);
            }
        }
    }

    /** Feeds the current engine (resampled when it takes another rate). */
    private void feed(short[] samples) throws EngineException {
        short[] out = resampler == null ? samples : resampler.process(samples, 0, samples.length);
        if (out.length > 0) current.accept(new AudioChunk(Pcm16.toBytes(out)));
    }

    /**
     * The current engine failed: closes it, opens the next and replays the audio since the last final; again while
     * the next fails too. Rethrows the failure when no engine is left.
     */
    private void failOver(EngineException failure) throws EngineException {
        EngineException e = failure;
        while (true) {
            if (closed) throw new IllegalStateException("session closed");
            String from = currentId;
            fallback.failed(from, e, 0);
            log.warn("engine {} failed mid-session: {}; moving on (ENGINE_FALLBACK)", from, e.getMessage());
            if (replayTruncated) {
                log.warn("engine {} failed with more than {} s since its last final: only the last {} s are replayed",
                        from, MAX_REPLAY_SECONDS, MAX_REPLAY_SECONDS);
            }
            closeCurrent();
            openNext(from, e);
            try {
                short[] pending = Arrays.copyOf(replay, replayLength);
                int piece = (int) (REPLAY_PIECE_SECONDS * rate);
                for (int pos = 0; pos < pending.length && !closed; pos += piece) {
                    feed(Arrays.copyOfRange(pending, pos, Math.min(pending.length, pos + piece)));
                }
                return;
            } catch (EngineException again) {
                e = again;
            }
        }
    }

    /** Keeps accepted audio until a final covers it. */
    private void keep(short[] samples) {
        int max = MAX_REPLAY_SECONDS * rate;
        if (replayLength + samples.length > replay.length) {
            replay = Arrays.copyOf(replay, Math.min(Math.max(replay.length * 2, replayLength + samples.length),
                    Math.max(max, samples.length)));
        }
        int overflow = replayLength + samples.length - replay.length;
        if (overflow > 0) {
            drop(overflow);
            replayTruncated = true;
        }
        System.arraycopy(samples, 0, replay, replayLength, samples.length);
        replayLength += samples.length;
    }

    /** Drops the oldest {@code n} kept samples. */
    private void drop(int n) {
        n = Math.min(n, replayLength);
        System.arraycopy(replay, n, replay, 0, replayLength - n);
        replayLength -= n;
        replayStart += n;
    }

    private void closeCurrent() {
        RecognitionSession s = current;
        current = null;
        relay = null;
        if (s != null) s.close();
    }

    @Override
    public void close() {
        closed = true;
        RecognitionSession s = current;
        if (s != null) s.close();
    }

    /** One engine session's callbacks, shifted onto the session's time line; dropped once that engine is left. */
    private final class Relay implements RecognitionListener {
        private final double offset;

        Relay(double offset) {
            this.offset = offset;
        }

        @Override
        public void onPartial(String text) {
            if (relay == this && !closed) listener.onPartial(text);
        }

        @Override
        public void onFinal(Segment segment) {
            if (relay != this || closed) return;
            Segment shifted = offset == 0 ? segment : shift(segment, offset);
            // The audio up to this final's end is recognised for good: no later engine needs it again.
            long end = Math.min(fed, Math.round(shifted.end() * rate));
            if (end > replayStart) drop((int) Math.min(Integer.MAX_VALUE, end - replayStart));
            replayTruncated = false;
            listener.onFinal(shifted);
        }
    }

    private static Segment shift(Segment s, double by) {
        List<Word> words = new ArrayList<>(s.words().size());
        for (Word w : s.words()) words.add(new Word(w.word(), w.start() + by, w.end() + by, w.confidence()));
        return new Segment(s.text(), s.start() + by, s.end() + by, words);
    }
}
