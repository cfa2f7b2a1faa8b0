package dev.voxgate.engine.upstream;

import dev.voxgate.api.Segment;

/** What a remote Voxgate sends on {@code /v1/listen} (docs/protocol.md), decoded by {@link UpstreamCodec}. */
sealed interface UpstreamMessage {
    record Ready(String sessionId, String engine) implements UpstreamMessage {
    }

    record Partial(String text) implements UpstreamMessage {
    }

    record Final(Segment segment) implements UpstreamMessage {
    }

    /** The remote's error: a code of its error catalogue and its message. */
    record Error(String code, String message) implements UpstreamMessage {
    }

    /** A message type this client does not know (a newer remote): ignored. */
    record Other(String type) implements UpstreamMessage {
    }
}
