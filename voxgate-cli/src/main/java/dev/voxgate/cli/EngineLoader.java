package dev.voxgate.cli;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.SpeechEngineProvider;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.server.config.ServerConfig;
import dev.voxgate.server.config.Settings;

import java.util.Map;
import java.util.ServiceLoader;

/** Loads one engine in-process for offline commands, configured like the server. */
final class EngineLoader {
    private EngineLoader() {
    }

    static StreamingEngine load(String id, Map<String, String> overrides) {
        Settings settings = Settings.load(System.getenv(), overrides);
        ServerConfig config = ServerConfig.from(settings);
        String wanted = id == null ? config.defaultEngine() : id;
        var providers = ServiceLoader.load(SpeechEngineProvider.class).stream().map(ServiceLoader.Provider::get).toList();
        SpeechEngineProvider provider = providers.stream().filter(p -> p.id().equals(wanted)).findFirst()
                .orElseThrow(() -> new UserException("unknown engine '" + wanted + "'; installed: "
                        + providers.stream().map(SpeechEngineProvider::id).toList()));
        try {
            if (provider.create(new EngineContext(settings.asMap(), config.cacheDir())) instanceof StreamingEngine se) return se;
            throw new UserException("engine '" + wanted + "' cannot transcribe streams");
        } catch (EngineException e) {
            throw new UserException(e.getMessage());
        }
    }
}
