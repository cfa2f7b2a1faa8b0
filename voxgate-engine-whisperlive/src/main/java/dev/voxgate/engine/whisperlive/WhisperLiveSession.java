package dev.voxgate.engine.whisperlive;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionFailedException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.engine.remote.RemoteStream;
import dev.voxgate.engine.remote.RemoteStream.State;
import dev.voxgate.engine.remote.SocketInbox;
import dev.voxgate.engine.remote.SocketInbox.Inbound;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One stream to a WhisperLive server.
 *
 * <p>State machine: {@code OPEN} (after {@code SERVER_READY}) → {@code DRAINING} (in {@link #finish}, after
 * {@code END_OF_AUDIO}) → {@code FINISHED}, or {@code CLOSED} from any state; {@code FAILED} when the server broke
 * the stream ({@code DISCONNECT}, a close before the end, a malformed message, silence past the reply timeout).
 *
 * <p>Threads: the JDK's WebSocket only queues what arrives ({@link SocketInbox}). The driving thread, inside
 * {@link #accept} and {@link #finish}, sends audio (waiting for the socket to take it, at most the reply timeout), then
 * decodes what has arrived and hands it to the listener, so callbacks keep the SPI's threading contract.
 * {@link #close} may come from any thread; once it returns no callback runs ({@link RemoteStream}).
 *
 * <p>A failure does not finalise the incomplete segment: the session layer's fallback replays the audio since the
 * last final to the next engine, which would otherwise recognise it twice.
 */
final class WhisperLiveSession implements RecognitionSession {
    private static final Logger log = LoggerFactory.getLogger(WhisperLiveSession.class);

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
    private final RemoteStream<String> stream;
    private final SegmentWindow window = new SegmentWindow(); // driving thread only
    private byte[] pending = new byte[FRAME_BYTES]; // driving thread only
    private int pendingBytes;
    private long sentSamples; // driving thread only

    private WhisperLiveSession(WhisperLiveConfig config, RecognitionListener listener) {
        this.config = config;
        this.listener = listener;
        this.stream = new RemoteStream<>("the WhisperLive server", config.safeUrl(), SocketInbox.text());
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
        s.stream.connected(connect(config, http, s.stream.listener()));
        try {
            s.stream.socket().sendText(WhisperLiveCodec.encode(WhisperLiveOptions.transcribe(s.uid, options.language(),
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
            Inbound<String> in = stream.poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            switch (in) {
                case null -> throw new EngineUnavailableException("the WhisperLive server " + config.safeUrl()
                        + " did not say SERVER_READY within WHISPERLIVE_REPLY_TIMEOUT_MS="
                        + config.replyTimeout().toMillis());
                case Inbound.Message<String> t -> {
                    WhisperLiveMessage m;
                    try {
                        m = decode(t.data());
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
                case Inbound.Closed<String> c -> throw new EngineUnavailableException("the WhisperLive server "
                        + config.safeUrl() + " closed the connection before SERVER_READY (" + c.code() + "): is "
                        + "WHISPERLIVE_MODEL (" + config.model() + ") one it can load?");
                case Inbound.Broken<String> b -> throw new EngineUnavailableException("the WhisperLive server "
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
        stream.requireOpen();
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
            stream.socket().sendBinary(frame, true).get(config.replyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw stream.fail("the WhisperLive server took no " + what + " for WHISPERLIVE_REPLY_TIMEOUT_MS="
                    + config.replyTimeout().toMillis(), null);
        } catch (ExecutionException e) {
            if (stream.state() == State.CLOSED) throw new IllegalStateException("session closed");
            drain(false);
            throw stream.fail("the WhisperLive connection broke while sending " + what, e.getCause());
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
        if (s == State.FAILED) {
            throw new RecognitionFailedException("the WhisperLive stream had already failed", null);
        }
        sendPending();
        awaitTail();
        stream.moveTo(State.DRAINING);
        send(ByteBuffer.wrap(WhisperLiveCodec.END_OF_AUDIO), "END_OF_AUDIO");
        drain(true);
        if (stream.state() != State.DRAINING) return;
        window.flush().ifPresent(seg -> emit(new SegmentWindow.Update.Final(seg)));
        stream.moveTo(State.FINISHED);
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
            Inbound<String> in = stream.poll(config.tailQuiet());
            if (in == null || stream.state() == State.CLOSED) return;
            take(in);
        }
    }

    /**
     * Hands what has arrived to the listener; with {@code untilClosed}, waits (each message at most the reply timeout)
     * until the server closes the connection, as it does after {@code END_OF_AUDIO}.
     */
    private void drain(boolean untilClosed) throws EngineException {
        while (true) {
            Inbound<String> in = untilClosed ? stream.poll(config.replyTimeout()) : stream.poll();
            if (stream.state() == State.CLOSED) return;
            if (in == null) {
                if (!untilClosed) return;
                throw stream.fail("the WhisperLive server neither sent nor closed for WHISPERLIVE_REPLY_TIMEOUT_MS="
                        + config.replyTimeout().toMillis() + " after END_OF_AUDIO", null);
            }
            if (take(in)) return;
        }
    }

    /** One thing from the socket; true when it is the close that ends a finished stream. */
    private boolean take(Inbound<String> in) throws EngineException {
        switch (in) {
            case Inbound.Message<String> t -> handle(t.data());
            case Inbound.Closed<String> c -> {
                boolean finishing = stream.state() == State.DRAINING;
                if (c.code() == WebSocket.NORMAL_CLOSURE && finishing) return true;
                throw stream.fail("the WhisperLive server closed the stream" + (finishing
                        ? " while finishing" : " before END_OF_AUDIO") + " (close " + c.code() + ")", null);
            }
            case Inbound.Broken<String> b -> throw stream.fail("the WhisperLive connection broke", b.error());
        }
        return false;
    }

    private void handle(String text) throws EngineException {
        WhisperLiveMessage m;
        try {
            m = decode(text);
        } catch (IllegalArgumentException e) {
            throw stream.fail("the WhisperLive server sent " + e.getMessage(), null);
        }
        switch (m) {
            case WhisperLiveMessage.Segments s -> {
                for (SegmentWindow.Update u : window.accept(s.segments())) emit(u);
            }
            case WhisperLiveMessage.Disconnect d -> throw stream.fail("the WhisperLive server disconnected the session "
                    + "(DISCONNECT: its max_connection_time is reached)", null);
            case WhisperLiveMessage.Status st when st.isError() -> throw stream.fail("the WhisperLive server reported "
                    + "an error: " + st.message(), null);
            case WhisperLiveMessage.Wait w -> throw stream.fail("the WhisperLive server said WAIT in the middle of a "
                    + "session", null);
            case WhisperLiveMessage.Language l -> log.debug("WhisperLive session {}: language {} ({})", uid,
                    l.language(), l.probability());
            default -> log.debug("WhisperLive message ignored: {}", m);
        }
    }

    private void emit(SegmentWindow.Update u) {
        stream.emit(() -> {
            switch (u) {
                case SegmentWindow.Update.Partial p -> listener.onPartial(p.text());
                case SegmentWindow.Update.Final f -> listener.onFinal(f.segment());
            }
        });
    }

    @Override
    public void close() {
        stream.close();
    }
}
