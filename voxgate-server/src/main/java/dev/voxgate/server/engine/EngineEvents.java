package dev.voxgate.server.engine;

/**
 * What happens to engines as sessions use them, for metrics: paired with nothing, each call is one event. Called on
 * the thread that drives a session (a decoder or opener thread); implementations must be quick and never throw.
 */
public interface EngineEvents {
    EngineEvents NONE = new EngineEvents() {
    };

    /** A session of {@code engine} opened, in {@code nanos} (for a remote: connection, upgrade, its ready). */
    default void opened(String engine, long nanos) {
    }

    /** {@code engine} could not open a session, refused one, or failed in one. */
    default void failed(String engine, String code) {
    }

    /** A session moved from {@code from} to {@code to} ({@code ENGINE_FALLBACK}). */
    default void fellBack(String from, String to) {
    }

    /** {@code finish()} of a session of {@code engine} took {@code nanos}: end of audio to the last final. */
    default void finished(String engine, long nanos) {
    }
}
