package dev.voxgate.engine.upstream;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.SpeechEngine;
import dev.voxgate.api.SpeechEngineProvider;

import java.util.List;
import java.util.Optional;

/**
 * The {@code upstream} engine. Settings: {@code UPSTREAM_URL} (required), {@code UPSTREAM_API_KEY},
 * {@code UPSTREAM_ENGINE}, {@code UPSTREAM_LANGUAGES}, {@code UPSTREAM_CONNECT_TIMEOUT_MS},
 * {@code UPSTREAM_REPLY_TIMEOUT_MS}, {@code UPSTREAM_PROBE_INTERVAL_MS} (docs/engines.md). Creating it does not
 * need the remote to be up: only a missing or malformed setting fails it.
 */
public final class UpstreamEngineProvider implements SpeechEngineProvider {
    @Override
    public String id() {
        return "upstream";
    }

    @Override
    public EngineCapabilities capabilities() {
        return UpstreamEngine.capabilities(List.of("en"));
    }

    @Override
    public Optional<String> missingSettings(EngineContext context) {
        return context.setting("UPSTREAM_URL").isPresent() ? Optional.empty() : Optional.of("UPSTREAM_URL");
    }

    @Override
    public SpeechEngine create(EngineContext context) throws EngineException {
        return new UpstreamEngine(UpstreamConfig.from(context));
    }
}
