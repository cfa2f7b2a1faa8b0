package dev.voxgate.engine.whisperlive;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionFailedException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.SessionOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One stream to a WhisperLive server.
 *
 * <p>State machine: {@code OPEN} (after {@code SERVER_READY}) → {@code DRAINING} (in {@link #finish}, after
 * {@code END_OF_AUDIO}) → {@code FINISHED}, or {@code CLOSED} from any state; {@code FAILED} when the server broke
 * the stream ({@code DISCONNECT}, a close before the end, a malformed message, silence past the reply timeout).
 *
 * <p>Threads: the JDK's WebSocket calls {@link Listener} on its own threads; those only put the frame in
 * {@link #inbox} and ask for the next one. The driving thread, inside {@link #accept} and {@link #finish}, sends audio
 * (waiting for the socket to take it, at most the reply timeout), then decodes what has arrived and hands it to the
 * listener, so callbacks keep the SPI's threading contract. {@link #close} may come from any thread: it takes
 * {@link #emitting}, so once it returns no callback runs.
 *
 * <p>A failure does not finalise the incomplete segment: the session layer's fallback replays the audio since the
 * last final to the next engine, which would otherwise recognise it twice.
 */
final class WhisperLiveSession implements RecognitionSession {
    private static final Logger log = LoggerFactory.getLogger(WhisperLiveSession.class);

    private enum State { OPEN, DRAINING, FINISHED, FAILED, CLOSED }

    /** What the socket delivered, in order. */
    private sealed interface Inbound {
        record Text(String text) implements Inbound {
        }

        record Closed(int code, String reason) implements Inbound {
        }

        record Broken(Throwable error) implements Inbound {
        }
    }

    /** The cause of the {@link EngineUnavailableException} of a full server: reachable, so not marked down. */
    static final class ServerFull extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ServerFull() {
            super("WAIT", null, false, false);
        }
    }

    /** PCM16 bytes of one frame as the Python client sends it (4096 samples, 256 ms). */
    static final int FRAME_BYTES = WhisperLiveCodec.FRAME_SAMPLES * 2;

    private final WhisperLiveConfig config;
    private final RecognitionListener listener;
    private final String uid = UUID.randomUUID().toString();
    private final SegmentWindow window = new SegmentWindow(); // driving thread only
    private byte[] pending = new byte[FRAME_BYTES]; // driving thread only
    private int pendingBytes;
    private long sentSamples; // driving thread only
    private final BlockingQueue<Inbound> inbox = new LinkedBlockingQueue<>();
    private final ReentrantLock emitting = new ReentrantLock();
    private volatile State state = State.OPEN;
    private WebSocket socket;

    private WhisperLiveSession(WhisperLiveConfig config, RecognitionListener listener) {
        this.config = config;
        this.listener = listener;
    }

    /**
     * Connects, upgrades, sends the options and waits for {@code SERVER_READY}.
     *
     * @throws EngineUnavailableException when the server cannot be reached, refuses the upgrade (a proxy's auth), is
     *                                    full ({@code WAIT}), cannot load the model, or does not answer in time; the
     *                                    message names the cause and the setting to check
     */
    static WhisperLiveSession open(WhisperLiveConfig config, HttpClient http, SessionOptions options,
            RecognitionListener listener) throws EngineException {
        WhisperLiveSession s = new WhisperLiveSession(config, listener);
        s.socket = connect(config, http, s.new Listener());
        try {
            s.socket.sendText(WhisperLiveCodec.encode(WhisperLiveOptions.transcribe(s.uid, options.language(),
                    config.model())), true).get(config.replyTimeout().toMillis(), TimeUnit.MILLISECONDS);
            s.awaitReady();
        } catch (TimeoutException | ExecutionException e) {
            s.close();
            throw new EngineUnavailableException("the WhisperLive server " + config.safeUrl()
                    + " did not take the session's options");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.close();
            throw new EngineUnavailableException("interrupted while opening a WhisperLive session", e);
        } catch (EngineException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** The WebSocket upgrade, as a session and the probe make it. */
    static WebSocket connect(WhisperLiveConfig config, HttpClient http, WebSocket.Listener listener)
            throws EngineUnavailableException {
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(config.connectTimeout());
        config.basicAuth().ifPresent(a -> b.header("Authorization", a));
        CompletableFuture<WebSocket> connecting = b.buildAsync(config.endpoint(), listener);
        try {
            return connecting.get(config.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            connecting.cancel(true);
            throw new EngineUnavailableException("the WhisperLive server " + config.safeUrl() + " did not accept a "
                    + "connection within WHISPERLIVE_CONNECT_TIMEOUT_MS=" + config.connectTimeout().toMillis());
        } catch (ExecutionException e) {
            throw connectFailure(config, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted while connecting to the WhisperLive server", e);
        }
    }

    private static EngineUnavailableException connectFailure(WhisperLiveConfig config, Throwable cause) {
        if (cause instanceof WebSocketHandshakeException h) {
            int status = h.getResponse().statusCode();
            if (status == 401 || status == 403) {
                return new EngineUnavailableException("the WhisperLive server " + config.safeUrl() + " refused the "
                        + "upgrade with HTTP " + status + " (a proxy's auth): check the user info in WHISPERLIVE_URL");
            }
            return new EngineUnavailableException("the WhisperLive server " + config.safeUrl() + " refused the "
                    + "WebSocket upgrade with HTTP " + status + ": check WHISPERLIVE_URL");
        }
        if (cause instanceof HttpTimeoutException) {
            return new EngineUnavailableException("the WhisperLive server " + config.safeUrl() + " did not accept a "
                    + "connection within WHISPERLIVE_CONNECT_TIMEOUT_MS=" + config.connectTimeout().toMillis());
        }
        if (cause instanceof ConnectException) {
            return new EngineUnavailableException("cannot connect to the WhisperLive server " + config.safeUrl()
                    + " (connection refused): is it running? check WHISPERLIVE_URL");
        }
        return new EngineUnavailableException("cannot connect to the WhisperLive server " + config.safeUrl() + ": "
                + cause.getClass().getSimpleName(), cause);
    }

    /** Waits for {@code SERVER_READY}, past warnings and messages a newer server may send first. */
    private void awaitReady() throws EngineException {
        long deadline = System.nanoTime() + config.replyTimeout().toNanos();
        while (true) {
            Inbound in = poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            switch (in) {
                case null -> throw new EngineUnavailableException("the WhisperLive server " + config.safeUrl()
                        + " did not say SERVER_READY within WHISPERLIVE_REPLY_TIMEOUT_MS="
                        + config.replyTimeout().toMillis());
                case Inbound.Text t -> {
                    WhisperLiveMessage m;
                    try {
                        m = decode(t.text());
                    } catch (IllegalArgumentException e) {
                        throw new EngineUnavailableException("the WhisperLive server " + config.safeUrl() + " sent "
                                + e.getMessage() + " before SERVER_READY: is WHISPERLIVE_URL a WhisperLive server?");
                    }
                    switch (m) {
                        case WhisperLiveMessage.ServerReady r -> {
                            log.debug("WhisperLive session {} ready, backend {}", uid, r.backend());
                            return;
                        }
                        case WhisperLiveMessage.Wait w -> throw new EngineUnavailableException("the WhisperLive "
                                + "server " + config.safeUrl() + " is full (over capacity): it expects a free slot "
                                + "in " + String.format(Locale.ROOT, "%.1f", w.minutes()) + " minutes",
                                new ServerFull());
                        case WhisperLiveMessage.Status st when st.isError() -> throw new EngineUnavailableException(
                                "the WhisperLive server " + config.safeUrl() + " refused the session: "
                                        + st.message());
                        case WhisperLiveMessage.Disconnect d -> throw new EngineUnavailableException("the "
                                + "WhisperLive server " + config.safeUrl() + " disconnected before SERVER_READY");
                        default -> log.debug("WhisperLive message before SERVER_READY ignored: {}", m);
                    }
                }
                case Inbound.Closed c -> throw new EngineUnavailableException("the WhisperLive server "
                        + config.safeUrl() + " closed the connection before SERVER_READY (" + c.code() + "): is "
                        + "WHISPERLIVE_MODEL (" + config.model() + ") one it can load?");
                case Inbound.Broken b -> throw new EngineUnavailableException("the WhisperLive server "
                        + config.safeUrl() + " broke the connection before SERVER_READY: "
                        + b.error().getClass().getSimpleName());
            }
        }
    }

    /** Decodes a message and checks it is this session's. */
    private WhisperLiveMessage decode(String text) {
        WhisperLiveMessage m = WhisperLiveCodec.decode(text);
        if (!m.uid().isEmpty() && !m.uid().equals(uid)) {
            throw new IllegalArgumentException("a message for another session (uid " + m.uid() + ")");
        }
        return m;
    }

    @Override
    public void accept(AudioChunk chunk) throws EngineException {
        State s = state;
        if (s != State.OPEN) throw new IllegalStateException("session is " + s.name().toLowerCase(Locale.ROOT));
        byte[] pcm = chunk.pcm();
        int pos = 0;
        while (pos < pcm.length) {
            int n = Math.min(FRAME_BYTES - pendingBytes, pcm.length - pos);
            System.arraycopy(pcm, pos, pending, pendingBytes, n);
            pendingBytes += n;
            pos += n;
            if (pendingBytes == FRAME_BYTES) sendPending();
        }
        drain(false);
    }

    /**
     * Sends the audio held back as one float32 frame and waits until the socket has taken it (at most the reply
     * timeout: a server that stops reading fails the session instead of hanging it).
     */
    private void sendPending() throws EngineException {
        if (pendingBytes == 0) return;
        ByteBuffer frame = ByteBuffer.wrap(WhisperLiveCodec.toFloat32(pending, 0, pendingBytes));
        sentSamples += pendingBytes / 2;
        pendingBytes = 0;
        send(frame, "audio");
    }

    private void send(ByteBuffer frame, String what) throws EngineException {
        try {
            socket.sendBinary(frame, true).get(config.replyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw fail("the WhisperLive server took no " + what + " for WHISPERLIVE_REPLY_TIMEOUT_MS="
                    + config.replyTimeout().toMillis(), null);
        } catch (ExecutionException e) {
            if (state == State.CLOSED) throw new IllegalStateException("session closed");
            drain(false);
            throw fail("the WhisperLive connection broke while sending " + what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail("interrupted while sending " + what, e);
        }
    }

    @Override
    public void finish() throws EngineException {
        State s = state;
        if (s == State.CLOSED) throw new IllegalStateException("session is closed");
        if (s == State.FINISHED) return;
        if (s == State.FAILED) {
            throw new RecognitionFailedException("the WhisperLive stream had already failed", null);
        }
        sendPending();
        awaitTail();
        state = State.DRAINING;
        send(ByteBuffer.wrap(WhisperLiveCodec.END_OF_AUDIO), "END_OF_AUDIO");
        drain(true);
        if (state != State.DRAINING) return;
        window.flush().ifPresent(seg -> emit(new SegmentWindow.Update.Final(seg)));
        state = State.FINISHED;
    }

    /**
     * Before {@code END_OF_AUDIO}: the server stops transcribing when it reads it, and its transcription runs behind
     * the audio, so the session first waits until the server's segments reach the end of the audio sent (within the
     * second of audio it waits for before a pass) or the server has been quiet for {@code WHISPERLIVE_TAIL_MS} (it
     * sends nothing for audio without speech). At most the reply timeout plus the audio's own length.
     */
    private void awaitTail() throws EngineException {
        double sent = sentSamples / (double) WhisperLiveEngine.RATE;
        long deadline = System.nanoTime() + config.replyTimeout().toNanos() + (long) (sent * 1e9);
        while (window.reachedSeconds() < sent - 1.0 && System.nanoTime() < deadline) {
            Inbound in = poll(config.tailQuiet());
            if (in == null || state == State.CLOSED) return;
            take(in);
        }
    }

    /**
     * Hands what has arrived to the listener; with {@code untilClosed}, waits (each message at most the reply timeout)
     * until the server closes the connection, as it does after {@code END_OF_AUDIO}.
     */
    private void drain(boolean untilClosed) throws EngineException {
        while (true) {
            Inbound in = untilClosed ? poll(config.replyTimeout()) : inbox.poll();
            if (state == State.CLOSED) return;
            if (in == null) {
                if (!untilClosed) return;
                throw fail("the WhisperLive server neither sent nor closed for WHISPERLIVE_REPLY_TIMEOUT_MS="
                        + config.replyTimeout().toMillis() + " after END_OF_AUDIO", null);
            }
            if (take(in)) return;
        }
    }

    /** One thing from the socket; true when it is the close that ends a finished stream. */
    private boolean take(Inbound in) throws EngineException {
        switch (in) {
            case Inbound.Text t -> handle(t.text());
            case Inbound.Closed c -> {
                if (c.code() == WebSocket.NORMAL_CLOSURE && state == State.DRAINING) return true;
                throw fail("the WhisperLive server closed the stream" + (state == State.DRAINING
                        ? " while finishing" : " before END_OF_AUDIO") + " (close " + c.code() + ")", null);
            }
            case Inbound.Broken b -> throw fail("the WhisperLive connection broke", b.error());
        }
        return false;
    }

    private void handle(String text) throws EngineException {
        WhisperLiveMessage m;
        try {
            m = decode(text);
        } catch (IllegalArgumentException e) {
            throw fail("the WhisperLive server sent " + e.getMessage(), null);
        }
        switch (m) {
            case WhisperLiveMessage.Segments s -> {
                for (SegmentWindow.Update u : window.accept(s.segments())) emit(u);
            }
            case WhisperLiveMessage.Disconnect d -> throw fail("the WhisperLive server disconnected the session "
                    + "(DISCONNECT: its max_connection_time is reached)", null);
            case WhisperLiveMessage.Status st when st.isError() -> throw fail("the WhisperLive server reported an "
                    + "error: " + st.message(), null);
            case WhisperLiveMessage.Wait w -> throw fail("the WhisperLive server said WAIT in the middle of a "
                    + "session", null);
            case WhisperLiveMessage.Language l -> log.debug("WhisperLive session {}: language {} ({})", uid,
                    l.language(), l.probability());
            default -> log.debug("WhisperLive message ignored: {}", m);
        }
    }

    private void emit(SegmentWindow.Update u) {
        emitting.lock();
        try {
            if (state == State.CLOSED) return;
            switch (u) {
                case SegmentWindow.Update.Partial p -> listener.onPartial(p.text());
                case SegmentWindow.Update.Final f -> listener.onFinal(f.segment());
            }
        } finally {
            emitting.unlock();
        }
    }

    private Inbound poll(Duration timeout) throws EngineException {
        try {
            return inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail("interrupted while waiting for the WhisperLive server", e);
        }
    }

    private EngineException fail(String message, Throwable cause) {
        if (state != State.CLOSED) state = State.FAILED;
        if (socket != null) socket.abort();
        return new RecognitionFailedException(message + " (" + config.safeUrl() + ")", cause);
    }

    @Override
    public void close() {
        emitting.lock();
        try {
            state = State.CLOSED;
        } finally {
            emitting.unlock();
        }
        WebSocket ws = socket;
        if (ws != null) ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                inbox.add(new Inbound.Text(text.toString()));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            inbox.add(new Inbound.Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            inbox.add(new Inbound.Broken(error));
        }
    }
}
