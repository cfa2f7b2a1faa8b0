package dev.voxgate.server.session;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.api.UnsupportedAudioException;
import dev.voxgate.audio.Pcm16;
import dev.voxgate.audio.Pcm16Assembler;
import dev.voxgate.audio.Resampler;
import dev.voxgate.server.engine.EngineSwitchListener;
import dev.voxgate.server.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One streaming recognition session, independent of any wire protocol.
 *
 * <p>State machine: {@code OPENING → STREAMING → DRAINING → CLOSED}; any state may go straight
 * to {@code CLOSED}. DRAINING means no more audio is taken and the finals of the audio already
 * taken are being produced; every end except a client disconnect, a transcribe timeout or a
 * failure before audio goes through DRAINING, so accepted audio is never silently lost.
 *
 * <p>Threads: {@link #onAudio} and {@link #onEndStream}/{@link #onKeepAlive}/{@link #onProtocolError}
 * are called by the network thread, one frame at a time; {@link #checkTimeouts} by the timer
 * thread. The engine session is opened on an opener thread ({@link SessionOpeners}), and
 * everything else that touches the engine runs after it on this session's {@link SessionLane} over
 * the decoder pool, in order: the lane holds its tasks until the open has finished, so an
 * {@code end_stream} or a close that comes first waits for it. Audio is handed from the network
 * thread to the lane through the {@link DecodeBacklog}, which drives backpressure: once its audio
 * would take more than a quarter of {@code TRANSCRIBE_TIMEOUT_MS} to decode the session stops
 * asking for frames, and the lane asks again once it has decoded below half of that. At most one
 * decode task of the session is on its lane at a time.
 */
public final class StreamSession {
    private static final Logger log = LoggerFactory.getLogger(StreamSession.class);
    /** Largest piece of audio handed to the engine at once when a backlog is decoded. */
    private static final double MAX_DECODE_BATCH_SECONDS = 0.5;
    /** The backlog's byte cap, in seconds of the client's audio: a memory bound, whatever the decode estimate. */
    private static final int MAX_BACKLOG_SECONDS = 10;
    /** The share of TRANSCRIBE_TIMEOUT_MS the queued audio may be estimated to take to decode. */
    private static final int BACKLOG_BUDGET_DIVISOR = 4;

    enum State { OPENING, STREAMING, DRAINING, CLOSED }

    private final SessionInfo info;
    private final StreamingEngine engine;
    private final String language;
    private final ClientChannel client;
    private final SessionLimits limits;
    private final Ticker ticker;
    private final SessionEvents events;
    private final SessionLane lane;
    private final Executor openers;
    private final Runnable onTerminated;
    private final SessionTap tap;

    private final AtomicReference<State> state = new AtomicReference<>(State.OPENING);
    private final Pcm16Assembler assembler = new Pcm16Assembler();
    private final DecodeBacklog backlog;
    private final long maxDecodeBatchBytes;
    /** Whether a decode task of this session is on its lane (there is never more than one). */
    private final AtomicBoolean decodeQueued = new AtomicBoolean();
    private final long startedNanos;
    private volatile long lastActivityNanos;
    private volatile long endRequestedNanos = -1;
    private volatile boolean endRequestedByClient;
    private volatile ErrorCode endReason;
    private volatile String endMessage;
    private volatile boolean audioAfterEndReported;
    private final AtomicLong bytesReceived = new AtomicLong();

    /**
     * Orders what the client hears: {@code ready} first. An error raised on another thread before
     * the engine is open waits here and follows {@code ready}; one that ends the session before
     * {@code ready} makes it a refusal (error and close, never a {@code ready} after them).
     */
    private final Object clientOrder = new Object();
    private boolean readySent; // guarded by clientOrder
    /** Notices raised while the engine opened (a fallback), sent right after {@code ready}. */
    private final List<String[]> heldNotices = new ArrayList<>(); // guarded by clientOrder
    private ErrorCode heldCode; // guarded by clientOrder
    private String heldMessage; // guarded by clientOrder

    // Lane-confined.
    private RecognitionSession recognition;
    private Resampler resampler;
    private int engineRate;
    private long decodeNanos;

    StreamSession(SessionInfo info, StreamingEngine engine, String language, ClientChannel client, SessionLimits limits,
                  Ticker ticker, SessionEvents events, Executor decoders, Executor openers, Runnable onTerminated) {
        this(info, engine, language, client, limits, ticker, events, decoders, openers, onTerminated, SessionTap.NONE);
    }

    /** @param tap sees the audio the engine receives and the finals (the session archive) */
    StreamSession(SessionInfo info, StreamingEngine engine, String language, ClientChannel client, SessionLimits limits,
                  Ticker ticker, SessionEvents events, Executor decoders, Executor openers, Runnable onTerminated,
                  SessionTap tap) {
        this.tap = tap;
        this.info = info;
        this.engine = engine;
        this.language = language;
        this.client = client;
        this.limits = limits;
        this.ticker = ticker;
        this.events = events;
        this.onTerminated = onTerminated;
        this.openers = openers;
        this.lane = new SessionLane(decoders, (t, e) -> {
            log.error("session {}: internal error while opening or decoding", info.id(), e);
            failNow(ErrorCode.INTERNAL_ERROR, internalErrorMessage(info.id()));
        });
        long bytesPerSecond = info.sampleRate() * 2L;
        this.backlog = new DecodeBacklog(bytesPerSecond, limits.transcribeTimeout().dividedBy(BACKLOG_BUDGET_DIVISOR),
                Math.max(MAX_BACKLOG_SECONDS * bytesPerSecond, 2L * limits.maxFrameBytes()), ticker);
        this.maxDecodeBatchBytes = (long) (MAX_DECODE_BATCH_SECONDS * bytesPerSecond);
        this.startedNanos = ticker.nanos();
        this.lastActivityNanos = startedNanos;
    }

    public SessionInfo info() {
        return info;
    }

    State state() {
        return state.get();
    }

    /**
     * Opens the engine session on an opener thread, then says {@code ready}; starts reading frames at once (they queue
     * in order, and the lane decodes them once the open has finished).
     */
    void start() {
        events.sessionStarted(info);
        lane.runFirst(openers, this::openRecognition);
        client.requestNextFrame();
    }

    // ---- network thread ------------------------------------------------------------------

    public void onAudio(ByteBuffer frame) {
        State s = state.get();
        if (s == State.CLOSED) return;
        if (s == State.DRAINING) {
            if (endRequestedByClient && !audioAfterEndReported) reportAudioAfterEnd(frame.remaining());
            client.requestNextFrame();
            return;
        }
        if (frame.remaining() > limits.maxFrameBytes()) {
            fail(ErrorCode.FRAME_TOO_LARGE, "binary frame of " + frame.remaining() + " bytes exceeds MAX_FRAME_BYTES="
                    + limits.maxFrameBytes() + "; send audio in smaller chunks (100 ms is typical)");
            return;
        }
        lastActivityNanos = ticker.nanos();
        byte[] pcm = assembler.push(frame);
        bytesReceived.addAndGet(pcm.length);
        if (pcm.length > 0) {
            events.audioReceived(info, pcm.length / 2.0 / info.sampleRate());
            boolean readMore = backlog.add(pcm);
            scheduleDecode();
            if (!readMore) return; // the lane asks for the next frame once enough is decoded
        }
        client.requestNextFrame();
    }

    public void onEndStream() {
        endRequestedByClient = true;
        beginDraining(null, null); // a second end_stream changes nothing
        client.requestNextFrame(); // keep reading: the client's close or stray audio must still be seen
    }

    public void onKeepAlive() {
        lastActivityNanos = ticker.nanos();
        client.requestNextFrame();
    }

    /** A text frame the protocol could not accept. */
    public void onProtocolError(ErrorCode code, String message) {
        fail(code, message);
    }

    /** The client went away (close frame or broken connection). */
    public void onClientClosed() {
        if (state.getAndSet(State.CLOSED) != State.CLOSED) {
            backlog.clear();
            lane.submit(this::closeRecognition);
            terminate("client_closed");
        }
    }

    // ---- timer thread --------------------------------------------------------------------

    void checkTimeouts() {
        State s = state.get();
        if (s == State.CLOSED) return;
        ErrorCode expired = limits.expired(ticker.nanos(), startedNanos, lastActivityNanos, endRequestedNanos,
                backlog.paused());
        if (expired == null) return;
        switch (expired) {
            case CONNECTION_TIMEOUT -> fail(expired, "session reached CONNECTION_TIMEOUT_MS="
                    + limits.connectionTimeout().toMillis() + " ms; open a new session to continue");
            case INACTIVITY_TIMEOUT -> fail(expired, "no audio for INACTIVITY_TIMEOUT_MS="
                    + limits.inactivityTimeout().toMillis() + " ms; send audio or {\"type\":\"keepalive\"}");
            default -> failNow(expired, "finals not ready within TRANSCRIBE_TIMEOUT_MS="
                    + limits.transcribeTimeout().toMillis() + " ms after the end of the stream");
        }
    }

    /** Server shutdown: finish like an end_stream, then say why. */
    void shutdown() {
        // Told at once, not only with the close: behind a load balancer the client can open its next session on
        // another node while this one still sends the finals of what it already has.
        synchronized (clientOrder) {
            if (readySent && state.get() == State.STREAMING) {
                client.sendNotice(ErrorCode.SERVER_SHUTDOWN.code(), "the server is shutting down: the finals of "
                        + "the audio sent so far follow, then the connection closes (1001); reconnect to continue",
                        info.engine());
            }
        }
        fail(ErrorCode.SERVER_SHUTDOWN, "the server is shutting down; reconnect to continue");
    }

    // ---- ending --------------------------------------------------------------------------

    /**
     * Ends the session because of {@code code}: the audio taken so far is still decoded and its
     * finals sent, then the error, then the close. Before the engine is open there is nothing to
     * flush and the session closes at once.
     */
    void fail(ErrorCode code, String message) {
        if (!beginDraining(code, message)) {
            synchronized (clientOrder) { // against finishRecognition reading the reason it closes with
                if (state.get() == State.DRAINING && endReason == null && code != ErrorCode.SERVER_SHUTDOWN) {
                    endReason = code;
                    endMessage = message;
                }
            }
        }
    }

    private boolean beginDraining(ErrorCode reason, String message) {
        while (true) {
            State s = state.get();
            if (s != State.OPENING && s != State.STREAMING) return false;
            if (state.compareAndSet(s, State.DRAINING)) break;
        }
        endReason = reason;
        endMessage = message;
        endRequestedNanos = ticker.nanos();
        lane.submit(this::finishRecognition);
        return true;
    }

    /** Ends at once: error, close, resources released on the lane. */
    void failNow(ErrorCode code, String message) {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) return;
        backlog.clear();
        synchronized (clientOrder) {
            sendError(code, message);
        }
        terminate(code.code()); // frees the slot before the client hears the close, so it can reconnect at once
        client.close(code);
        lane.submit(this::closeRecognition);
    }

    private void sendError(ErrorCode code, String message) {
        events.errorSent(info, code);
        client.sendError(code, message);
    }

    /**
     * Audio after the client's end_stream: reported at once (right after {@code ready} if that has
     * not gone out yet), and the close that ends the session says so. Atomic with the close, so a
     * session never closes with 1008 without the error, nor sends the error after a normal close.
     */
    private void reportAudioAfterEnd(int bytes) {
        synchronized (clientOrder) {
            if (state.get() != State.DRAINING || audioAfterEndReported) return;
            audioAfterEndReported = true;
            endReason = ErrorCode.AUDIO_AFTER_END_STREAM;
            endMessage = "audio sent after end_stream was dropped (" + bytes
                    + " bytes); the finals of earlier audio follow";
            if (readySent) {
                sendError(endReason, endMessage);
            } else {
                heldCode = endReason;
                heldMessage = endMessage;
            }
        }
    }

    /** What a client is told about a bug: no exception text; the log has it under the session id. */
    static String internalErrorMessage(String sessionId) {
        return "the server hit an internal error; its log has the details under session " + sessionId + ". Try again";
    }

    private void terminate(String outcome) {
        double audio = bytesReceived.get() / 2.0 / info.sampleRate();
        events.sessionEnded(info, new SessionSummary(outcome, audio, decodeNanos / 1e9,
                Duration.ofNanos(ticker.nanos() - startedNanos)));
        tap.ended(outcome);
        onTerminated.run();
    }

    // ---- lane ----------------------------------------------------------------------------

    /**
     * The lane's first task, run on an opener thread while the lane holds the rest: nothing else of the lane runs
     * until it returns, and what it sets is seen by the lane's later tasks.
     */
    private void openRecognition() {
        if (state.get() == State.CLOSED) return;
        var caps = engine.descriptor().capabilities();
        engineRate = caps.acceptsSampleRate(info.sampleRate()) ? info.sampleRate() : caps.preferredSampleRate();
        if (engineRate != info.sampleRate()) resampler = new Resampler(info.sampleRate(), engineRate);
        try {
            recognition = engine.open(new SessionOptions(engineRate, language), new Listener());
        } catch (UnsupportedAudioException e) {
            log.warn("session {}: engine {} refused {} Hz, language {}: {}", info.id(), info.engine(), engineRate,
                    language,
                    e.getMessage());
            failNow(ErrorCode.INVALID_PARAMETER, "engine '" + info.engine() + "' cannot take this stream (sample_rate "
                    + info.sampleRate() + ", language " + (language == null ? "its default" : "'" + language + "'")
                    + "); /api/modules_info lists what it accepts");
            return;
        } catch (EngineException e) {
            log.warn("session {}: engine {} could not open a session: {}", info.id(), info.engine(), e.toString());
            failNow(ErrorCode.ENGINE_UNAVAILABLE, "engine '" + info.engine()
                    + "' could not start a session; try again shortly (the server's log says why)");
            return;
        }
        tap.engineOpened(engineRate);
        backlog.decoderReady();
        state.compareAndSet(State.OPENING, State.STREAMING);
        synchronized (clientOrder) {
            if (state.get() != State.CLOSED) {
                client.sendReady(info);
                readySent = true;
                for (String[] n : heldNotices) client.sendNotice(n[0], n[1], n[2]);
                heldNotices.clear();
                if (heldCode != null) sendError(heldCode, heldMessage);
                return;
            }
        }
        closeRecognition();
    }

    private void scheduleDecode() {
        if (decodeQueued.compareAndSet(false, true)) lane.submit(this::decodeInbox);
    }

    /**
     * Decodes one batch, then queues itself again behind the lane's other tasks while audio waits: one task per
     * session rather than one per frame, so an end of stream waits behind one batch, not behind every frame.
     */
    private void decodeInbox() {
        decodeQueued.set(false); // before taking: audio queued from now on schedules a new task or is seen below
        decode(maxDecodeBatchBytes);
        if (!backlog.isEmpty() && state.get() != State.CLOSED) scheduleDecode();
    }

    /** Feeds queued audio to the engine, at most {@code maxBytes} of it (whole chunks, at least one). */
    private void decode(long maxBytes) {
        if (recognition == null || state.get() == State.CLOSED) return;
        DecodeBacklog.Batch batch = backlog.take(maxBytes);
        if (batch == null) return;
        byte[] pcm = batch.pcm();
        long t0 = System.nanoTime();
        try {
            byte[] forEngine = pcm;
            if (resampler != null) {
                short[] in = Pcm16.toSamples(pcm);
                forEngine = Pcm16.toBytes(resampler.process(in, 0, in.length));
            }
            if (forEngine.length > 0) {
                tap.engineAudio(forEngine);
                recognition.accept(new AudioChunk(forEngine));
            }
        } catch (EngineException e) {
            log.warn("session {}: engine {} failed while decoding: {}", info.id(), info.engine(), e.toString());
            failNow(ErrorCode.ENGINE_FAILURE, engineFailureMessage("while decoding"));
            return;
        } finally {
            long spent = System.nanoTime() - t0;
            decodeNanos += spent;
            events.audioDecoded(info, pcm.length / 2.0 / info.sampleRate(), spent);
            if (backlog.decoded(batch)) client.requestNextFrame();
        }
    }

    private void finishRecognition() {
        if (state.get() == State.CLOSED) return;
        if (recognition != null) {
            while (!backlog.isEmpty() && state.get() != State.CLOSED) decode(maxDecodeBatchBytes);
            if (state.get() == State.CLOSED) return;
            long t0 = System.nanoTime();
            try {
                if (resampler != null) {
                    byte[] tail = Pcm16.toBytes(resampler.flush());
                    if (tail.length > 0) {
                        tap.engineAudio(tail);
                        recognition.accept(new AudioChunk(tail));
                    }
                }
                recognition.finish();
            } catch (EngineException e) {
                log.warn("session {}: engine {} failed while finishing: {}", info.id(), info.engine(), e.toString());
                failNow(ErrorCode.ENGINE_FAILURE, engineFailureMessage("while finishing"));
                return;
            } finally {
                decodeNanos += System.nanoTime() - t0;
            }
        }
        ErrorCode reason;
        String message;
        synchronized (clientOrder) {
            if (state.getAndSet(State.CLOSED) == State.CLOSED) return; // a timeout won the race
            reason = endReason;
            message = endMessage;
        }
        events.finalized(info, ticker.nanos() - endRequestedNanos);
        if (reason != null && reason != ErrorCode.AUDIO_AFTER_END_STREAM) sendError(reason, message);
        closeRecognition();
        terminate(reason == null ? "completed" : reason.code());
        if (reason != null) client.close(reason);
        else client.closeNormally();
    }

    private String engineFailureMessage(String when) {
        return "the " + info.engine() + " engine failed " + when + "; the finals so far were sent. Start a new session"
                + " (the server's log has the details under session " + info.id() + ")";
    }

    private void closeRecognition() {
        if (recognition != null) {
            try {
                recognition.close();
            } catch (RuntimeException e) {
                log.warn("closing recognizer of session {} failed: {}", info.id(), e.toString());
            }
            recognition = null;
        }
    }

    private final class Listener implements RecognitionListener, EngineSwitchListener {
        @Override
        public void onEngineSwitched(String from, String to, String reason) {
            log.warn("session {}: engine {} unavailable or failed, continuing on {} (ENGINE_FALLBACK)", info.id(), from,
                    to);
            synchronized (clientOrder) {
                if (state.get() == State.CLOSED) return;
                if (readySent) client.sendNotice("engine_fallback", reason, to);
                else heldNotices.add(new String[] {"engine_fallback", reason, to});
            }
        }

        @Override
        public void onPartial(String text) {
            if (state.get() != State.CLOSED) client.sendPartial(text);
        }

        @Override
        public void onFinal(Segment segment) {
            if (state.get() != State.CLOSED && !segment.isEmpty()) {
                tap.finalResult(segment);
                client.sendFinal(segment);
            }
        }
    }
}
