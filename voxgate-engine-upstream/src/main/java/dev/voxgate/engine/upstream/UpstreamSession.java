package dev.voxgate.engine.upstream;

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

import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Locale;

/**
 * One stream forwarded to a remote Voxgate over its native protocol.
 *
 * <p>State machine: {@code OPEN} (after the remote said {@code ready}) → {@code DRAINING} (in {@link #finish})
 * → {@code FINISHED}, or {@code CLOSED} from any state; {@code FAILED} when the remote broke the stream.
 *
 * <p>Threads: the JDK's WebSocket only queues what arrives ({@link SocketInbox}). The driving thread, inside
 * {@link #accept} and {@link #finish}, sends audio (waiting for the socket to take it, at most the reply timeout), then
 * takes what has arrived, decodes it and calls the listener, so callbacks keep the SPI's threading contract.
 * {@link #close} may come from any thread; once it returns no callback runs ({@link RemoteStream}).
 */
final class UpstreamSession implements RecognitionSession {

    /**
     * Audio is sent in frames of at least this much (20 ms at 16 kHz): a caller feeding one sample at a time would
     * otherwise cost a frame and a round trip per sample; 20 ms is too little to delay a partial noticeably.
     */
    static final int MIN_FRAME_BYTES = 640;

    private final UpstreamConfig config;
    private final RecognitionListener listener;
    private final RemoteStream<String> stream;
    private byte[] pending = new byte[4 * MIN_FRAME_BYTES]; // driving thread only
    private int pendingBytes;

    private UpstreamSession(UpstreamConfig config, RecognitionListener listener) {
        this.config = config;
        this.listener = listener;
        this.stream = new RemoteStream<>("the upstream", config.safeUrl(), SocketInbox.text());
    }

    /**
     * Connects, upgrades and waits for the remote's {@code ready}.
     *
     * @throws EngineUnavailableException when the remote cannot be reached, refuses the key or the session, or does
     *                                    not answer in time; the message names the cause and the setting to check
     */
    static UpstreamSession open(UpstreamConfig config, HttpClient http, SessionOptions options,
            RecognitionListener listener) throws EngineException {
        UpstreamSession s = new UpstreamSession(config, listener);
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(config.connectTimeout());
        config.apiKey().ifPresent(k -> b.header("Authorization", "Bearer " + k));
        URI uri = listenUri(config, options);
        CompletableFuture<WebSocket> connecting = b.buildAsync(uri, s.stream.listener());
        try {
            s.stream.connected(connecting.get(config.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            connecting.cancel(true);
            throw new EngineUnavailableException("the upstream " + config.safeUrl() + " did not accept a connection "
                    + "within UPSTREAM_CONNECT_TIMEOUT_MS=" + config.connectTimeout().toMillis());
        } catch (ExecutionException e) {
            throw connectFailure(config, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted while connecting to the upstream", e);
        }
        try {
            s.awaitReady();
        } catch (EngineException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    static URI listenUri(UpstreamConfig config, SessionOptions options) {
        StringBuilder q = new StringBuilder("sample_rate=").append(options.sampleRate());
        if (options.language() != null) q.append("&language=").append(enc(options.language()));
        config.remoteEngine().ifPresent(e -> q.append("&engine=").append(enc(e)));
        String base = config.url().toString();
        return URI.create(base + (config.url().getRawQuery() == null ? "?" : "&") + q);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static EngineUnavailableException connectFailure(UpstreamConfig config, Throwable cause) {
        if (cause instanceof WebSocketHandshakeException h) {
            int status = h.getResponse().statusCode();
            if (status == 401 || status == 403) {
                return new EngineUnavailableException("the upstream " + config.safeUrl() + " refused the key (HTTP "
                        + status + "): check UPSTREAM_API_KEY");
            }
            return new EngineUnavailableException("the upstream " + config.safeUrl() + " refused the WebSocket "
                    + "upgrade with HTTP " + status + ": check UPSTREAM_URL (it must end in /v1/listen)");
        }
        if (cause instanceof HttpTimeoutException) {
            return new EngineUnavailableException("the upstream " + config.safeUrl() + " did not accept a connection "
                    + "within UPSTREAM_CONNECT_TIMEOUT_MS=" + config.connectTimeout().toMillis());
        }
        if (cause instanceof ConnectException) {
            return new EngineUnavailableException("cannot connect to the upstream " + config.safeUrl()
                    + " (connection refused): is it running? check UPSTREAM_URL");
        }
        return new EngineUnavailableException("cannot connect to the upstream " + config.safeUrl() + ": "
                + cause.getClass().getSimpleName(), cause);
    }

    private void awaitReady() throws EngineException {
        Inbound<String> in = stream.poll(config.replyTimeout());
        switch (in) {
            case null -> throw new EngineUnavailableException("the upstream " + config.safeUrl()
                    + " did not say ready within UPSTREAM_REPLY_TIMEOUT_MS=" + config.replyTimeout().toMillis());
            case Inbound.Message<String> t -> {
                UpstreamMessage m = decodeForOpen(t.data());
                switch (m) {
                    case UpstreamMessage.Ready r -> { }
                    case UpstreamMessage.Error e -> throw new EngineUnavailableException("the upstream "
                            + config.safeUrl() + " refused the session: " + e.code() + " (" + e.message() + ")");
                    default -> throw new EngineUnavailableException("the upstream " + config.safeUrl()
                            + " sent '" + type(m) + "' before ready: is UPSTREAM_URL a Voxgate /v1/listen?");
                }
            }
            case Inbound.Closed<String> c -> throw new EngineUnavailableException("the upstream " + config.safeUrl()
                    + " closed the connection before ready (" + c.code() + ")");
            case Inbound.Broken<String> b -> throw new EngineUnavailableException("the upstream " + config.safeUrl()
                    + " broke the connection before ready: " + b.error().getClass().getSimpleName());
        }
    }

    private UpstreamMessage decodeForOpen(String text) throws EngineUnavailableException {
        try {
            return UpstreamCodec.decode(text);
        } catch (IllegalArgumentException e) {
            throw new EngineUnavailableException("the upstream " + config.safeUrl() + " sent " + e.getMessage()
                    + ": is UPSTREAM_URL a Voxgate /v1/listen?");
        }
    }

    private static String type(UpstreamMessage m) {
        return m.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    @Override
    public void accept(AudioChunk chunk) throws EngineException {
        stream.requireOpen();
        byte[] pcm = chunk.pcm();
        if (pcm.length == 0) return;
        if (pending.length - pendingBytes < pcm.length) pending = Arrays.copyOf(pending,
                Math.max(pending.length * 2, pendingBytes + pcm.length));
        System.arraycopy(pcm, 0, pending, pendingBytes, pcm.length);
        pendingBytes += pcm.length;
        if (pendingBytes >= MIN_FRAME_BYTES) sendPending();
        drain(false);
    }

    /**
     * Sends the audio held back as one binary frame and waits until the socket has taken it (at most the reply
     * timeout: a remote that stops reading fails the session instead of hanging it).
     */
    private void sendPending() throws EngineException {
        if (pendingBytes == 0) return;
        ByteBuffer frame = ByteBuffer.wrap(Arrays.copyOf(pending, pendingBytes));
        pendingBytes = 0;
        try {
            stream.socket().sendBinary(frame, true).get(config.replyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw stream.fail("the upstream took no audio for UPSTREAM_REPLY_TIMEOUT_MS="
                    + config.replyTimeout().toMillis(), null);
        } catch (ExecutionException e) {
            if (stream.state() == State.CLOSED) throw new IllegalStateException("session closed");
            drain(false);
            throw stream.fail("the upstream connection broke while sending audio", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw stream.fail("interrupted while sending audio", e);
        }
    }

    @Override
    public void finish() throws EngineException {
        State s = stream.state();
        if (s == State.CLOSED) throw new IllegalStateException("session is closed");
        if (s == State.FINISHED) return;
        if (s == State.FAILED) throw new RecognitionFailedException("the upstream stream had already failed", null);
        sendPending();
        stream.moveTo(State.DRAINING);
        try {
            stream.socket().sendText(UpstreamCodec.endStream(), true)
                    .get(config.replyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            if (stream.state() == State.CLOSED) throw new IllegalStateException("session closed");
            throw stream.fail("the upstream did not take end_stream",
                    e instanceof ExecutionException x ? x.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw stream.fail("interrupted while finishing", e);
        }
        drain(true);
        if (stream.state() == State.DRAINING) stream.moveTo(State.FINISHED);
    }

    /**
     * Hands what has arrived to the listener; with {@code untilClosed}, waits (each reply at most the reply timeout)
     * until the remote closes the stream normally.
     */
    private void drain(boolean untilClosed) throws EngineException {
        while (true) {
            Inbound<String> in = untilClosed ? stream.poll(config.replyTimeout()) : stream.poll();
            if (stream.state() == State.CLOSED) return;
            if (in == null) {
                if (!untilClosed) return;
                throw stream.fail("the upstream sent nothing for UPSTREAM_REPLY_TIMEOUT_MS="
                        + config.replyTimeout().toMillis() + " while finishing", null);
            }
            switch (in) {
                case Inbound.Message<String> t -> {
                    UpstreamMessage m;
                    try {
                        m = UpstreamCodec.decode(t.data());
                    } catch (IllegalArgumentException e) {
                        throw stream.fail("the upstream sent " + e.getMessage(), null);
                    }
                    if (m instanceof UpstreamMessage.Error e && !e.code().equals("audio_after_end_stream")) {
                        throw stream.fail("the upstream ended the stream with " + e.code() + ": " + e.message(), null);
                    }
                    emit(m);
                }
                case Inbound.Closed<String> c -> {
                    boolean finishing = stream.state() == State.DRAINING;
                    if (c.code() == WebSocket.NORMAL_CLOSURE && finishing) return;
                    throw stream.fail("the upstream closed the stream" + (finishing ? " while finishing" : "")
                            + " (close " + c.code() + ")", null);
                }
                case Inbound.Broken<String> b -> throw stream.fail("the upstream connection broke", b.error());
            }
        }
    }

    private void emit(UpstreamMessage m) {
        stream.emit(() -> {
            switch (m) {
                case UpstreamMessage.Partial p -> listener.onPartial(p.text());
                case UpstreamMessage.Final f -> {
                    if (!f.segment().isEmpty()) listener.onFinal(f.segment());
                }
                default -> { }
            }
        });
    }

    @Override
    public void close() {
        stream.close();
    }
}
