package dev.voxgate.server.engine;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.SpeechEngine;

/** Where one engine stands: loading, ready (with the engine), or failed (with the reason, kept from clients). */
public sealed interface EngineStatus {
    String id();

    EngineCapabilities capabilities();

    record Loading(String id, EngineCapabilities capabilities) implements EngineStatus {
    }

    record Ready(String id, EngineCapabilities capabilities, SpeechEngine engine) implements EngineStatus {
    }

    /**
     * @param detail why, for the operator (log, command line): may hold exception text and paths, so
     *               it never goes into an answer to a client; {@link #reason()} is what a client is told
     */
    record Failed(String id, EngineCapabilities capabilities, String detail) implements EngineStatus {
        /** What a client may be told: no exception text and no path, only where to look. */
        public String reason() {
            return "see the server's log for why";
        }
    }
}
