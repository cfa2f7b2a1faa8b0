package dev.voxgate.engine.kyutai;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.SpeechEngine;
import dev.voxgate.api.SpeechEngineProvider;

import java.util.List;
import java.util.Optional;

/**
 * The {@code kyutai} engine. Settings: {@code KYUTAI_URL} (required), {@code KYUTAI_API_KEY},
 * {@code KYUTAI_LANGUAGES}, {@code KYUTAI_CONNECT_TIMEOUT_MS}, {@code KYUTAI_REPLY_TIMEOUT_MS},
 * {@code KYUTAI_PROBE_INTERVAL_MS} (docs/engines.md). Creating it does not need moshi-server to be up: only a missing
 * or malformed setting fails it.
 */
public final class KyutaiEngineProvider implements SpeechEngineProvider {
    @Override
    public String id() {
        return "kyutai";
    }

    @Override
    public EngineCapabilities capabilities() {
        return KyutaiEngine.capabilities(List.of("en"));
    }

    @Override
    public Optional<String> missingSettings(EngineContext context) {
        return context.setting("KYUTAI_URL").isPresent() ? Optional.empty() : Optional.of("KYUTAI_URL");
    }

    @Override
    public SpeechEngine create(EngineContext context) throws EngineException {
        return new KyutaiEngine(KyutaiConfig.from(context));
    }
}
