package dev.voxgate.server.transport;

import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.session.SessionManager;
import dev.voxgate.server.session.StreamSession;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * The native protocol on Jetty (the only class that sees Jetty's WebSocket types for it). It does
 * not auto-demand: the {@link StreamSession} asks for each next frame, which is how a client that
 * sends faster than the decoder is slowed down instead of buffered without limit.
 */
public final class ListenEndpoint implements Session.Listener {
    private final SessionManager sessions;
    private final Map<String, List<String>> query;
    private final String remote;
    private final String caller;
    private JettyClientChannel channel;
    private volatile StreamSession session;

    /**
     * @param caller who the stream counts against for {@code MAX_SESSIONS_PER_KEY} (the guard's
     *               {@code Caller.limitIdentity()})
     */
    public ListenEndpoint(SessionManager sessions, Map<String, List<String>> query, String remote, String caller) {
        this.sessions = sessions;
        this.query = query;
        this.remote = remote;
        this.caller = caller;
    }

    @Override
    public void onWebSocketOpen(Session jetty) {
        channel = new JettyClientChannel(jetty);
        switch (ListenParameters.parse(query)) {
            case ListenParameters.Result.Invalid bad -> sessions.reject(null, channel, bad.code(), bad.message());
            case ListenParameters.Result.Valid ok -> {
                StreamSession s = sessions.open(ok.request(), channel, remote, caller);
                session = s;
                if (s != null) channel.onSlowClient(msg -> s.onProtocolError(ErrorCode.SLOW_CLIENT, msg));
            }
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        channel.frameDelivered();
        try {
            StreamSession s = session;
            if (s != null) s.onAudio(payload);
        } finally {
            callback.succeed();
        }
    }

    @Override
    public void onWebSocketText(String text) {
        channel.frameDelivered();
        StreamSession s = session;
        if (s == null) return;
        switch (NativeCodec.decode(text)) {
            case ClientMessage.EndStream e -> s.onEndStream();
            case ClientMessage.KeepAlive k -> s.onKeepAlive();
            case ClientMessage.Malformed m -> s.onProtocolError(ErrorCode.MALFORMED_MESSAGE, m.reason());
            case ClientMessage.UnknownType u -> s.onProtocolError(ErrorCode.UNKNOWN_MESSAGE_TYPE,
                    "unknown message type '" + u.type() + "'; expected end_stream or keepalive");
        }
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        // Jetty answers pings itself; a ping is a frame like any other for demand purposes.
        channel.frameDelivered();
        channel.requestNextFrame();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        channel.frameDelivered();
        channel.requestNextFrame();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        StreamSession s = session;
        if (s != null) s.onClientClosed();
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        StreamSession s = session;
        if (s != null) s.onClientClosed();
    }
}
