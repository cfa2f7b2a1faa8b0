package dev.voxgate.engine.whisperlive;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.SpeechEngine;
import dev.voxgate.api.SpeechEngineProvider;

import java.util.List;
import java.util.Optional;

/**
 * The {@code whisperlive} engine. Settings: {@code WHISPERLIVE_URL} (required), {@code WHISPERLIVE_MODEL},
 * {@code WHISPERLIVE_LANGUAGES}, {@code WHISPERLIVE_CONNECT_TIMEOUT_MS}, {@code WHISPERLIVE_REPLY_TIMEOUT_MS},
 * {@code WHISPERLIVE_PROBE_INTERVAL_MS}, {@code WHISPERLIVE_TAIL_MS} (docs/engines.md). Creating it does not need the
 * server to be up: only a missing or malformed setting fails it.
 */
public final class WhisperLiveEngineProvider implements SpeechEngineProvider {
    @Override
    public String id() {
        return "whisperlive";
    }

    @Override
    public EngineCapabilities capabilities() {
        return WhisperLiveEngine.capabilities(List.of("en"));
    }

    @Override
    public Optional<String> missingSettings(EngineContext context) {
        return context.setting("WHISPERLIVE_URL").isPresent() ? Optional.empty() : Optional.of("WHISPERLIVE_URL");
    }

    @Override
    public SpeechEngine create(EngineContext context) throws EngineException {
        return new WhisperLiveEngine(WhisperLiveConfig.from(context));
    }
}
