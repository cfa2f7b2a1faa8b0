package dev.voxgate.server.transport;

/** A text frame from a native-protocol client, decoded. */
public sealed interface ClientMessage {
    record EndStream() implements ClientMessage {
    }

    record KeepAlive() implements ClientMessage {
    }

    /** Not JSON, not an object, or {@code type} not a string. */
    record Malformed(String reason) implements ClientMessage {
    }

    record UnknownType(String type) implements ClientMessage {
    }
}
