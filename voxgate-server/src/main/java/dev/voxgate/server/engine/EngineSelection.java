package dev.voxgate.server.engine;

import dev.voxgate.api.StreamingEngine;
import dev.voxgate.server.error.ApiError;
import dev.voxgate.server.error.ClientText;
import dev.voxgate.server.error.ErrorCode;

import java.util.List;

/**
 * The answer of {@link EngineSelector}: an engine to use, or why there is none. Every surface
 * (WebSocket sessions, file routes, jobs, the command line) reads it with an exhaustive switch and
 * reports the refusals through {@link #error}, so the code and the wording are the same everywhere.
 */
public sealed interface EngineSelection {

    /** The engine and the language to ask it for ({@code null}: the engine's own default). */
    record Selected(String id, StreamingEngine engine, String language) implements EngineSelection {
    }

    /** No installed engine has that id. */
    record Unknown(String requested, List<String> installed) implements EngineSelection {
    }

    /** Installed, but still loading or failed to load; retrying later (or elsewhere) may work. */
    record NotReady(String id, String why) implements EngineSelection {
    }

    /** The engine does not transcribe that language (or the tag is not a language tag). */
    record UnsupportedLanguage(String id, String language, List<String> supported) implements EngineSelection {
    }

    /**
     * The refusal in the catalogue's terms; {@code engineParam} names the request field that chose the
     * engine on this surface ({@code engine}, or {@code model} on the OpenAI route).
     *
     * @throws IllegalStateException for {@link Selected}, which is no error
     */
    default ApiError error(String engineParam) {
        return switch (this) {
            case Selected s -> throw new IllegalStateException("engine " + s.id() + " was selected");
            case Unknown u -> new ApiError(ErrorCode.UNKNOWN_ENGINE, engineParam,
                    "unknown engine '" + ClientText.clip(u.requested(), 40) + "'; installed: "
                            + String.join(", ", u.installed()));
            case NotReady n -> new ApiError(ErrorCode.ENGINE_UNAVAILABLE, engineParam,
                    "engine '" + n.id() + "' " + n.why() + "; try again shortly");
            case UnsupportedLanguage l -> new ApiError(ErrorCode.UNSUPPORTED_LANGUAGE, "language",
                    "engine '" + l.id() + "' does not transcribe language '" + ClientText.clip(l.language(), 40)
                            + "'; it supports " + String.join(", ", l.supported()));
        };
    }
}
