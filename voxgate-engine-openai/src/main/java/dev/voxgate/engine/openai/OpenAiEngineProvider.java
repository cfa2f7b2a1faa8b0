package dev.voxgate.engine.openai;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.SpeechEngine;
import dev.voxgate.api.SpeechEngineProvider;
import dev.voxgate.engine.whisper.SpeechUtterances;

import java.util.List;
import java.util.Optional;

/**
 * The {@code openai} engine. Settings: {@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY}, {@code OPENAI_MODEL},
 * {@code OPENAI_LANGUAGES}, {@code OPENAI_CONNECT_TIMEOUT_MS}, {@code OPENAI_REPLY_TIMEOUT_MS},
 * {@code OPENAI_PROBE_INTERVAL_MS} (docs/engines.md). Creating it loads the bundled Silero VAD and asks the API once;
 * an API that does not answer does not fail it (it shows as down). Without {@code OPENAI_API_KEY} and with OpenAI's
 * own base URL it fails to load, saying so.
 */
public final class OpenAiEngineProvider implements SpeechEngineProvider {
    @Override
    public String id() {
        return "openai";
    }

    @Override
    public EngineCapabilities capabilities() {
        return OpenAiEngine.capabilities(List.of("en"));
    }

    /** Needs a key, or a base URL of its own (a server that takes no key): not OpenAI's URL without a key. */
    @Override
    public Optional<String> missingSettings(EngineContext context) {
        return context.setting("OPENAI_API_KEY").isPresent() || context.setting("OPENAI_BASE_URL").isPresent()
                ? Optional.empty() : Optional.of("OPENAI_API_KEY (or OPENAI_BASE_URL)");
    }

    @Override
    public SpeechEngine create(EngineContext context) throws EngineException {
        OpenAiConfig config = OpenAiConfig.from(context);
        return new OpenAiEngine(config, SpeechUtterances.load(context.cacheDir()));
    }
}
