package dev.voxgate.engine.remote;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The receiving side of a session's WebSocket. The JDK calls its {@link #listener()} on its own threads; the listener
 * only queues each whole message (its frames joined), the remote's close or the connection's failure, and asks for the
 * next frame: no decoding, no call of the session's listener, so the socket's threads are never held up and callbacks
 * stay on the thread that drives the session, which takes what arrived in order with {@link #poll}.
 *
 * @param <T> a message: {@code String} for a protocol of text messages, {@code byte[]} for one of binary messages
 */
public final class SocketInbox<T> {
    /** What the socket delivered, in order. */
    public sealed interface Inbound<T> {
        /** A whole message. */
        record Message<T>(T data) implements Inbound<T> {
        }

        record Closed<T>(int code, String reason) implements Inbound<T> {
        }

        record Broken<T>(Throwable error) implements Inbound<T> {
        }
    }

    private final BlockingQueue<Inbound<T>> queue;
    private final WebSocket.Listener listener;

    private SocketInbox(BlockingQueue<Inbound<T>> queue, WebSocket.Listener listener) {
        this.queue = queue;
        this.listener = listener;
    }

    /** For a protocol of text messages; binary frames are skipped (the listener's default asks for the next). */
    public static SocketInbox<String> text() {
        BlockingQueue<Inbound<String>> queue = new LinkedBlockingQueue<>();
        return new SocketInbox<>(queue, new TextMessages(queue));
    }

    /** For a protocol of binary messages; text frames are skipped (the listener's default asks for the next). */
    public static SocketInbox<byte[]> binary() {
        BlockingQueue<Inbound<byte[]>> queue = new LinkedBlockingQueue<>();
        return new SocketInbox<>(queue, new BinaryMessages(queue));
    }

    /** The listener to build the socket with. */
    public WebSocket.Listener listener() {
        return listener;
    }

    /** What arrived first and is not taken yet, or null; does not wait. */
    public Inbound<T> poll() {
        return queue.poll();
    }

    /** What arrived first and is not taken yet, waiting at most {@code timeout} for it; null when nothing came. */
    public Inbound<T> poll(Duration timeout) throws InterruptedException {
        return queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The close and the failure, whatever the messages are; the JDK's default {@code onOpen} asks for a frame. */
    private abstract static class Frames<T> implements WebSocket.Listener {
        final BlockingQueue<Inbound<T>> queue;

        Frames(BlockingQueue<Inbound<T>> queue) {
            this.queue = queue;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            queue.add(new Inbound.Closed<>(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            queue.add(new Inbound.Broken<>(error));
        }
    }

    private static final class TextMessages extends Frames<String> {
        private final StringBuilder text = new StringBuilder();

        TextMessages(BlockingQueue<Inbound<String>> queue) {
            super(queue);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                queue.add(new Inbound.Message<>(text.toString()));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    private static final class BinaryMessages extends Frames<byte[]> {
        private final ByteArrayOutputStream message = new ByteArrayOutputStream();

        BinaryMessages(BlockingQueue<Inbound<byte[]>> queue) {
            super(queue);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            message.writeBytes(part);
            if (last) {
                queue.add(new Inbound.Message<>(message.toByteArray()));
                message.reset();
            }
            webSocket.request(1);
            return null;
        }
    }
}
