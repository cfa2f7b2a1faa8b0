package dev.voxgate.engine.kyutai;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionFailedException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.Word;
import dev.voxgate.audio.Pcm16;
import dev.voxgate.audio.Resampler;
import dev.voxgate.engine.remote.RemoteProbe;
import dev.voxgate.engine.remote.RemoteStream;
import dev.voxgate.engine.remote.RemoteStream.State;
import dev.voxgate.engine.remote.SocketInbox;
import dev.voxgate.engine.remote.SocketInbox.Inbound;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * One stream to moshi-server's streaming ASR.
 *
 * <p>State machine: {@code OPEN} (after the server said {@code Ready}) → {@code DRAINING} (in {@link #finish}, from
 * the {@code Marker} sent until it comes back) → {@code FINISHED}, or {@code CLOSED} from any state; {@code FAILED}
 * when the server broke the stream.
 *
 * <p>Words into utterances: moshi sends each word once, final, as {@code Word} (its start) and {@code EndWord} (its
 * stop); it has no utterances. Each word is shown at once as a partial (the words of the utterance so far), and the
 * utterance becomes a final when the speaker has paused: the semantic VAD's pause head in {@code Step} says so, or (for
 * models without VAD heads) no word came for about a second of stepped audio, or the next word starts a second or more
 * after the last one stopped. At the end of the stream, the audio is followed by a {@code Marker} and by silence
 * until the marker comes back (the model answers a fixed delay behind the audio), and what is left is the last
 * final — as Kyutai's own scripts end a stream.
 *
 * <p>Threads: the JDK's WebSocket only queues what arrives ({@link SocketInbox}; moshi-server sends only binary
 * messages). The driving thread, inside {@link #accept} and {@link #finish}, resamples and sends audio (waiting for the
 * socket to take it, at most the reply timeout), then decodes what has arrived and calls the listener, so callbacks
 * keep the SPI's threading contract. {@link #close} may come from any thread; once it returns no callback runs
 * ({@link RemoteStream}).
 */
final class KyutaiSession implements RecognitionSession {
    static final int MOSHI_RATE = 24000;
    /** moshi's model steps 80 ms of audio at a time; Kyutai's clients send one step per message. */
    static final int FRAME = 1920;
    /**
     * Silence sent before the audio: Kyutai's scripts start so ("needed for the 2.6B model"); word times are shifted
     * back by it, so the session's time line is untouched.
     */
    static final int LEAD_IN = MOSHI_RATE;
    /** The VAD head Kyutai's own voice stack (unmute) reads as "the speaker paused"; 0.5 s-2 s horizons before it. */
    static final int PAUSE_HEAD = 2;
    static final float PAUSE_PROBABILITY = 0.5f;
    /** Steps (80 ms each) without a new word after which an utterance ends, for models without VAD heads. */
    static final int PAUSE_STEPS = 13;
    /** A word that starts this long after the previous one stopped begins a new utterance. */
    static final double GAP_SECONDS = 1.0;
    /** At the end, silence is kept at most this far ahead of what the server has stepped through. */
    static final int TAIL_AHEAD = MOSHI_RATE;
    /** Silence sent at a time after the marker: half a second. */
    static final int TAIL_PIECE = MOSHI_RATE / 2;
    /** Most silence sent after the marker before giving up on it: Kyutai's scripts send 35 s for the largest model. */
    static final int MAX_TAIL = 40 * MOSHI_RATE;
    private static final long MARKER_ID = 1;

    private final KyutaiConfig config;
    private final RecognitionListener listener;
    private final RemoteStream<byte[]> stream;
    private final Resampler resampler = new Resampler(KyutaiEngine.RATE, MOSHI_RATE);

    // Driving thread only.
    private float[] pending = new float[2 * FRAME];
    private int pendingSamples;
    private long samplesSent;
    private long stepsSeen;
    private int stepsSinceWord;
    /** When audio went out that nothing has answered yet (nanoTime), or 0. */
    private long unansweredSince;
    private final List<Timed> utterance = new ArrayList<>();
    private String lastPartial = "";
    private double lastFinalStart;

    /** A word of the utterance in progress; {@code end} is NaN until its {@code EndWord}. */
    private record Timed(String text, double start, double end) {
        boolean ended() {
            return !Double.isNaN(end);
        }
    }

    private KyutaiSession(KyutaiConfig config, RecognitionListener listener) {
        this.config = config;
        this.listener = listener;
        this.stream = new RemoteStream<>("moshi-server", config.safeUrl(), SocketInbox.binary());
    }

    /**
     * Connects (the key as the {@code kyutai-api-key} header), waits for {@code Ready}, and sends the lead-in silence.
     * Tells {@code probe} whether the server answered.
     *
     * @throws EngineUnavailableException when the server cannot be reached, refuses the key, is full ("no free
     *                                    channels"), or does not say ready in time; the message names the cause and
     *                                    the setting to check
     */
    static KyutaiSession open(KyutaiConfig config, HttpClient http, RecognitionListener listener, RemoteProbe probe)
            throws EngineException {
        KyutaiSession s = new KyutaiSession(config, listener);
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(config.connectTimeout());
        config.apiKey().ifPresent(k -> b.header("kyutai-api-key", k));
        CompletableFuture<WebSocket> connecting = b.buildAsync(config.url(), s.stream.listener());
        try {
            s.stream.connected(connecting.get(config.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            connecting.cancel(true);
            throw down(probe, new EngineUnavailableException("moshi-server " + config.safeUrl() + " did not accept a "
                    + "connection within KYUTAI_CONNECT_TIMEOUT_MS=" + config.connectTimeout().toMillis()));
        } catch (ExecutionException e) {
            throw down(probe, connectFailure(config, e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted while connecting to moshi-server", e);
        }
        probe.reachable();
        try {
            s.awaitReady();
            s.sendAudio(new float[LEAD_IN], 0, LEAD_IN);
        } catch (EngineException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private static EngineUnavailableException down(RemoteProbe probe, EngineUnavailableException e) {
        probe.unreachable(e.getMessage());
        return e;
    }

    private static EngineUnavailableException connectFailure(KyutaiConfig config, Throwable cause) {
        if (cause instanceof WebSocketHandshakeException h) {
            int status = h.getResponse().statusCode();
            if (status == 401 || status == 403) {
                return new EngineUnavailableException("moshi-server " + config.safeUrl() + " refused the key (HTTP "
                        + status + "): check KYUTAI_API_KEY (one of its authorized_ids)");
            }
            return new EngineUnavailableException("moshi-server " + config.safeUrl() + " refused the WebSocket "
                    + "upgrade with HTTP " + status + ": check KYUTAI_URL (it must end in " + KyutaiConfig.ASR_PATH
                    + ")");
        }
        if (cause instanceof HttpTimeoutException) {
            return new EngineUnavailableException("moshi-server " + config.safeUrl() + " did not accept a connection "
                    + "within KYUTAI_CONNECT_TIMEOUT_MS=" + config.connectTimeout().toMillis());
        }
        if (cause instanceof ConnectException) {
            return new EngineUnavailableException("cannot connect to moshi-server " + config.safeUrl()
                    + " (connection refused): is it running? check KYUTAI_URL");
        }
        return new EngineUnavailableException("cannot connect to moshi-server " + config.safeUrl() + ": "
                + cause.getClass().getSimpleName(), cause);
    }

    private void awaitReady() throws EngineException {
        Inbound<byte[]> in = stream.poll(config.replyTimeout());
        switch (in) {
            case null -> throw new EngineUnavailableException("moshi-server " + config.safeUrl()
                    + " did not say Ready within KYUTAI_REPLY_TIMEOUT_MS=" + config.replyTimeout().toMillis());
            case Inbound.Message<byte[]> f -> {
                KyutaiMessage m;
                try {
                    m = KyutaiCodec.decode(f.data());
                } catch (IllegalArgumentException e) {
                    throw new EngineUnavailableException("moshi-server " + config.safeUrl() + " sent " + e.getMessage()
                            + ": is KYUTAI_URL its " + KyutaiConfig.ASR_PATH + "?");
                }
                switch (m) {
                    case KyutaiMessage.Ready r -> { }
                    case KyutaiMessage.Error e -> throw new EngineUnavailableException("moshi-server "
                            + config.safeUrl() + (e.message().contains("no free channels")
                            ? " is over capacity (all its batch slots are taken): " : " refused the session: ")
                            + e.message());
                    default -> throw new EngineUnavailableException("moshi-server " + config.safeUrl() + " sent "
                            + type(m) + " before Ready: is KYUTAI_URL a batched ASR module's " + KyutaiConfig.ASR_PATH
                            + "?");
                }
            }
            case Inbound.Closed<byte[]> c -> throw new EngineUnavailableException("moshi-server " + config.safeUrl()
                    + " closed the connection before Ready (" + c.code() + ")");
            case Inbound.Broken<byte[]> b -> throw new EngineUnavailableException("moshi-server " + config.safeUrl()
                    + " broke the connection before Ready: " + b.error().getClass().getSimpleName());
        }
    }

    private static String type(KyutaiMessage m) {
        return m instanceof KyutaiMessage.Other o ? o.type() : m.getClass().getSimpleName();
    }

    @Override
    public void accept(AudioChunk chunk) throws EngineException {
        stream.requireOpen();
        if (chunk.pcm().length == 0) return;
        short[] in = Pcm16.toSamples(chunk.pcm());
        append(resampler.process(in, 0, in.length));
        int sent = 0;
        while (pendingSamples - sent >= FRAME) {
            sendAudio(pending, sent, FRAME);
            sent += FRAME;
        }
        if (sent > 0) {
            System.arraycopy(pending, sent, pending, 0, pendingSamples - sent);
            pendingSamples -= sent;
        }
        drain();
        if (unansweredSince != 0 && System.nanoTime() - unansweredSince > config.replyTimeout().toNanos()) {
            throw stream.fail("moshi-server answered none of the audio for KYUTAI_REPLY_TIMEOUT_MS="
                    + config.replyTimeout().toMillis(), null);
        }
    }

    private void append(short[] samples) {
        if (pending.length - pendingSamples < samples.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingSamples + samples.length));
        }
        for (int i = 0; i < samples.length; i++) pending[pendingSamples + i] = samples[i] / 32768f;
        pendingSamples += samples.length;
    }

    /**
     * Sends one {@code Audio} message and waits until the socket has taken it (at most the reply timeout: a server
     * that stops reading fails the session instead of hanging it).
     */
    private void sendAudio(float[] pcm, int from, int count) throws EngineException {
        send(KyutaiCodec.audio(pcm, from, count), "audio");
        samplesSent += count;
        if (unansweredSince == 0) unansweredSince = System.nanoTime();
    }

    private void send(byte[] message, String what) throws EngineException {
        try {
            stream.socket().sendBinary(ByteBuffer.wrap(message), true).get(config.replyTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw stream.fail("moshi-server took no " + what + " for KYUTAI_REPLY_TIMEOUT_MS="
                    + config.replyTimeout().toMillis(), null);
        } catch (ExecutionException e) {
            if (stream.state() == State.CLOSED) throw new IllegalStateException("session closed");
            if (stream.state() == State.OPEN) drain(); // its Error, if it sent one, says more than the broken pipe
            throw stream.fail("the connection to moshi-server broke while sending " + what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw stream.fail("interrupted while sending " + what, e);
        }
    }

    @Override
    public void finish() throws EngineException {
        State s = stream.state();
        if (s == State.CLOSED) throw new IllegalStateException("session is closed");
        if (s == State.FINISHED) return;
        if (s == State.FAILED) throw new RecognitionFailedException("the moshi-server stream had already failed", null);
        append(resampler.flush());
        if (pendingSamples > 0) sendAudio(pending, 0, pendingSamples);
        pendingSamples = 0;
        drain();
        stream.moveTo(State.DRAINING);
        send(KyutaiCodec.marker(MARKER_ID), "the end marker");
        awaitMarker();
        boolean open = stream.emit(() -> {
            endUtterance();
            stream.moveTo(State.FINISHED);
        });
        if (!open) return;
        stream.socket().sendClose(WebSocket.NORMAL_CLOSURE, "");
    }

    /**
     * Sends silence behind the marker (at most {@link #TAIL_AHEAD} ahead of what the server has stepped through, or
     * more while it says nothing, up to {@link #MAX_TAIL}) and hands on what arrives until the marker comes back.
     */
    private void awaitMarker() throws EngineException {
        long tail = 0, lastHeard = System.nanoTime();
        float[] silence = new float[TAIL_PIECE];
        while (true) {
            boolean quiet = System.nanoTime() - lastHeard > TimeUnit.MILLISECONDS.toNanos(300);
            if (tail < MAX_TAIL && (samplesSent - stepsSeen * FRAME < TAIL_AHEAD || quiet)) {
                sendAudio(silence, 0, TAIL_PIECE);
                tail += TAIL_PIECE;
            }
            Inbound<byte[]> in = stream.poll(Duration.ofMillis(100));
            if (stream.state() == State.CLOSED) throw new IllegalStateException("session closed");
            if (in == null) {
                if (System.nanoTime() - lastHeard > config.replyTimeout().toNanos()) {
                    throw stream.fail("moshi-server did not send the end marker back within KYUTAI_REPLY_TIMEOUT_MS="
                            + config.replyTimeout().toMillis(), null);
                }
                continue;
            }
            lastHeard = System.nanoTime();
            if (handle(in) instanceof KyutaiMessage.Marker m && m.id() == MARKER_ID) return;
        }
    }

    /** Hands what has arrived to the listener, without waiting. */
    private void drain() throws EngineException {
        for (Inbound<byte[]> in = stream.poll(); in != null; in = stream.poll()) {
            if (stream.state() == State.CLOSED) return;
            handle(in);
        }
    }

    private KyutaiMessage handle(Inbound<byte[]> in) throws EngineException {
        switch (in) {
            case Inbound.Message<byte[]> f -> {
                unansweredSince = 0;
                KyutaiMessage m;
                try {
                    m = KyutaiCodec.decode(f.data());
                } catch (IllegalArgumentException e) {
                    throw stream.fail("moshi-server sent " + e.getMessage(), null);
                }
                if (m instanceof KyutaiMessage.Error e) {
                    throw stream.fail("moshi-server ended the stream with an error: " + e.message(), null);
                }
                emit(m);
                return m;
            }
            case Inbound.Closed<byte[]> c -> throw stream.fail("moshi-server closed the stream"
                    + (stream.state() == State.DRAINING ? " before the end marker came back" : "")
                    + " (close " + c.code() + ")", null);
            case Inbound.Broken<byte[]> b -> throw stream.fail("the connection to moshi-server broke", b.error());
        }
    }

    private void emit(KyutaiMessage m) {
        stream.emit(() -> {
            switch (m) {
                case KyutaiMessage.Word w -> onWord(w);
                case KyutaiMessage.EndWord e -> onEndWord(e);
                case KyutaiMessage.Step s -> onStep(s);
                default -> { } // Ready again, Marker of another id, a newer server's messages: nothing to show
            }
        });
    }

    private void onWord(KyutaiMessage.Word w) {
        String text = w.text().strip();
        if (text.isEmpty()) return;
        double start = Math.max(0, w.startTime() - LEAD_IN / (double) MOSHI_RATE);
        if (!utterance.isEmpty()) {
            Timed last = utterance.getLast();
            if (last.ended() && start - last.end() >= GAP_SECONDS) endUtterance();
        }
        utterance.add(new Timed(text, start, Double.NaN));
        stepsSinceWord = 0;
        String partial = utterance.stream().map(Timed::text).collect(Collectors.joining(" "));
        if (!partial.equals(lastPartial)) {
            lastPartial = partial;
            listener.onPartial(partial);
        }
    }

    private void onEndWord(KyutaiMessage.EndWord e) {
        if (utterance.isEmpty() || utterance.getLast().ended()) return;
        Timed last = utterance.removeLast();
        double end = Math.max(last.start(), e.stopTime() - LEAD_IN / (double) MOSHI_RATE);
        utterance.add(new Timed(last.text(), last.start(), end));
        stepsSinceWord = 0;
    }

    private void onStep(KyutaiMessage.Step s) {
        stepsSeen++;
        stepsSinceWord++;
        if (utterance.isEmpty() || !utterance.getLast().ended()) return;
        boolean paused = s.prs().size() > PAUSE_HEAD && s.prs().get(PAUSE_HEAD) >= PAUSE_PROBABILITY;
        if (paused || stepsSinceWord >= PAUSE_STEPS) endUtterance();
    }

    /** The words so far as one final (inside {@link RemoteStream#emit}). */
    private void endUtterance() {
        if (utterance.isEmpty()) return;
        List<Word> words = new ArrayList<>(utterance.size());
        double floor = lastFinalStart;
        for (Timed t : utterance) {
            double start = Math.max(floor, t.start());
            double end = Math.max(start, t.ended() ? t.end() : t.start());
            words.add(new Word(t.text(), start, end, 1.0));
            floor = start;
        }
        utterance.clear();
        lastPartial = "";
        String text = words.stream().map(Word::word).collect(Collectors.joining(" "));
        Segment segment = new Segment(text, words.getFirst().start(), words.getLast().end(), words);
        lastFinalStart = segment.start();
        listener.onFinal(segment);
    }

    @Override
    public void close() {
        stream.close();
    }
}
