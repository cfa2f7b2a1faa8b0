package dev.voxgate.server.session;

import dev.voxgate.api.Segment;
import dev.voxgate.server.error.ErrorCode;

/**
 * The client as a {@link StreamSession} sees it. A protocol adapter implements it: it encodes
 * these events in its wire format and owns the socket. Methods may be called from the decoder,
 * network or timer threads; implementations serialise writes themselves and never block.
 */
public interface ClientChannel {
    void sendReady(SessionInfo session);

    /** May be dropped when the client is not reading fast enough; a later partial or final replaces it. */
    void sendPartial(String text);

    void sendFinal(Segment segment);

    void sendError(ErrorCode code, String message);

    /**
     * Something the client should know that does not end the session: {@code engine_fallback} when the session moved
     * to another engine ({@code ENGINE_FALLBACK}). A protocol without such a message ignores it.
     *
     * @param engine the engine the session continues on
     */
    default void sendNotice(String code, String message, String engine) {
    }

    /**
     * Closes the connection after everything sent so far, because of {@code reason} (the error just
     * sent, or the reason of a refusal). The protocol adapter chooses its own close code for it.
     */
    void close(ErrorCode reason);

    /** Closes the connection after everything sent so far: the stream ended as asked, every final was sent. */
    void closeNormally();

    /** Asks the transport for exactly one more inbound frame (called once per frame the session wants). */
    void requestNextFrame();
}
