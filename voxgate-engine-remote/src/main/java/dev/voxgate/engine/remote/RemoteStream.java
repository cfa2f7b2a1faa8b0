package dev.voxgate.engine.remote;

import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionFailedException;
import dev.voxgate.engine.remote.SocketInbox.Inbound;

import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What every WebSocket session to a remote keeps beside its protocol: its state, its socket, what arrived on it, and
 * how it fails and closes.
 *
 * <p>State machine: {@code OPEN} → {@code DRAINING} (while the session finishes) → {@code FINISHED}, or {@code CLOSED}
 * from any state; {@code FAILED} when the remote broke the stream. The session moves it; this class only fails and
 * closes.
 *
 * <p>Threads: the driving thread sends, polls and calls the listener through {@link #emit}; {@link #close} may come
 * from any thread and takes the same lock, so once it returns no callback runs.
 *
 * @param <T> a message of the remote's protocol, as {@link SocketInbox} delivers it
 */
public final class RemoteStream<T> {
    public enum State { OPEN, DRAINING, FINISHED, FAILED, CLOSED }

    private final String remote;
    private final String safeUrl;
    private final SocketInbox<T> inbox;
    private final ReentrantLock emitting = new ReentrantLock();
    private volatile State state = State.OPEN;
    private volatile WebSocket socket;

    /**
     * @param remote  the remote as the messages name it ("the upstream", "moshi-server")
     * @param safeUrl its URL without secrets, which every failure's message ends with
     */
    public RemoteStream(String remote, String safeUrl, SocketInbox<T> inbox) {
        this.remote = remote;
        this.safeUrl = safeUrl;
        this.inbox = inbox;
    }

    /** The listener to build the socket with. */
    public WebSocket.Listener listener() {
        return inbox.listener();
    }

    /** The socket built with {@link #listener()}, once it is connected. */
    public void connected(WebSocket webSocket) {
        this.socket = webSocket;
    }

    /** The connected socket, to send on. */
    public WebSocket socket() {
        return socket;
    }

    public State state() {
        return state;
    }

    public void moveTo(State next) {
        state = next;
    }

    /** @throws IllegalStateException unless the session takes audio (not after finish, a failure or close) */
    public void requireOpen() {
        State s = state;
        if (s != State.OPEN) throw new IllegalStateException("session is " + s.name().toLowerCase(Locale.ROOT));
    }

    /** What arrived first and is not taken yet, or null; does not wait. */
    public Inbound<T> poll() {
        return inbox.poll();
    }

    /**
     * What arrived first, waiting at most {@code timeout}; null when nothing came.
     *
     * @throws EngineException when the driving thread is interrupted: the session fails (the interrupt is kept)
     */
    public Inbound<T> poll(Duration timeout) throws EngineException {
        try {
            return inbox.poll(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail("interrupted while waiting for " + remote, e);
        }
    }

    /**
     * Runs {@code callback}, a call of the session's listener, unless the session is closed; under the lock
     * {@link #close} takes, so a close from another thread waits for it and none runs after.
     *
     * @return whether it ran
     */
    public boolean emit(Runnable callback) {
        emitting.lock();
        try {
            if (state == State.CLOSED) return false;
            callback.run();
            return true;
        } finally {
            emitting.unlock();
        }
    }

    /**
     * Fails the session (unless it is closed already) and drops the connection at once: a broken stream is not
     * finished politely, and the session layer's fallback replays its audio elsewhere.
     *
     * @return the exception to throw, its message ending with the remote's URL
     */
    public EngineException fail(String message, Throwable cause) {
        if (state != State.CLOSED) state = State.FAILED;
        WebSocket ws = socket;
        if (ws != null) ws.abort();
        return new RecognitionFailedException(message + " (" + safeUrl + ")", cause);
    }

    /** Closes from any thread; once it returns, the session's listener is not called again. */
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
}
