package dev.voxgate.server.engine;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.SpeechEngine;

/** Where one engine stands: loading, ready (with the engine), or failed (with the reason). */
public sealed interface EngineStatus {
    String id();

    EngineCapabilities capabilities();

    record Loading(String id, EngineCapabilities capabilities) implements EngineStatus {
    }

    record Ready(String id, EngineCapabilities capabilities, SpeechEngine engine) implements EngineStatus {
    }

    record Failed(String id, EngineCapabilities capabilities, String reason) implements EngineStatus {
    }
}
