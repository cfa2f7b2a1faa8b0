package dev.voxgate.server.transport;

import dev.voxgate.api.Segment;
import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.session.ClientChannel;
import dev.voxgate.server.session.SessionInfo;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A native-protocol client on a Jetty WebSocket session. Writes are asynchronous; a client that
 * stops reading first loses partials (replaced by later ones anyway) and past a hard limit is
 * disconnected, so it cannot make the server hold unbounded output.
 */
final class JettyClientChannel implements ClientChannel {
    private static final int DROP_PARTIALS_ABOVE = 32;
    private static final int DISCONNECT_ABOVE = 1024;

    private final Session session;
    private final AtomicInteger pendingWrites = new AtomicInteger();
    private final AtomicBoolean demandOutstanding = new AtomicBoolean();
    private volatile Consumer<String> onSlowClient = m -> { };
    private volatile boolean closing;

    JettyClientChannel(Session session) {
        this.session = session;
    }

    void onSlowClient(Consumer<String> handler) {
        this.onSlowClient = handler;
    }

    /** The transport delivered a frame: the next one needs a new demand. */
    void frameDelivered() {
        demandOutstanding.set(false);
    }

    @Override
    public void sendReady(SessionInfo info) {
        send(NativeCodec.ready(info));
    }

    @Override
    public void sendPartial(String text) {
        if (pendingWrites.get() > DROP_PARTIALS_ABOVE) return;
        send(NativeCodec.partial(text));
    }

    @Override
    public void sendFinal(Segment segment) {
        send(NativeCodec.finalResult(segment));
    }

    @Override
    public void sendError(ErrorCode code, String message) {
        send(NativeCodec.error(code, message));
    }

    @Override
    public void sendNotice(String code, String message, String engine) {
        send(NativeCodec.notice(code, message, engine));
    }

    private void send(String text) {
        if (closing || !session.isOpen()) return;
        if (pendingWrites.incrementAndGet() > DISCONNECT_ABOVE) {
            pendingWrites.decrementAndGet();
            onSlowClient.accept("the client is not reading results (" + DISCONNECT_ABOVE + " messages waiting)");
            return;
        }
        session.sendText(text, Callback.from(pendingWrites::decrementAndGet, t -> pendingWrites.decrementAndGet()));
    }

    @Override
    public void close(ErrorCode reason) {
        close(CloseCodes.of(reason), reason.code());
    }

    @Override
    public void closeNormally() {
        close(CloseCodes.NORMAL, "end of stream");
    }

    private void close(int closeCode, String reason) {
        closing = true;
        if (session.isOpen()) session.close(closeCode, reason, Callback.NOOP);
        requestNextFrame(); // keep reading so the client's close reply is seen
    }

    @Override
    public void requestNextFrame() {
        if (session.isOpen() && demandOutstanding.compareAndSet(false, true)) {
            try {
                session.demand();
            } catch (RuntimeException e) {
                // The connection is going away; Jetty reports the close separately.
            }
        }
    }
}
