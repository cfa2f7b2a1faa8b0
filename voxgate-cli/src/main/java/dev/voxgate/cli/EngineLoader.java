package dev.voxgate.cli;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineDescriptor;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.SpeechEngine;
import dev.voxgate.api.SpeechEngineProvider;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.server.config.ServerConfig;
import dev.voxgate.server.config.Settings;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.engine.EngineSelection;
import dev.voxgate.server.engine.EngineSelector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Loads one engine in-process for offline commands, configured like the server. A composed engine
 * ({@code vosk+whisper}) gets the engines it asks for loaded on demand, and closing the returned
 * engine closes every engine loaded for it.
 */
final class EngineLoader {
    private EngineLoader() {
    }

    /**
     * The named engine, or for {@code id == null} the server's default for files ({@code FILE_ENGINE}, else the most
     * accurate installed).
     */
    static StreamingEngine load(String id, Map<String, String> overrides) {
        return load(id, null, overrides).engine();
    }

    /** An engine and the language to ask it for, chosen by the server's {@link EngineSelector} rules. */
    record Chosen(StreamingEngine engine, String language) {
    }

    /**
     * Checks the request the way the server does ({@code unknown_engine}, {@code unsupported_language}, with
     * the server's messages) before loading anything, then loads the one engine chosen.
     */
    static Chosen load(String id, String language, Map<String, String> overrides) {
        Settings settings = Settings.load(System.getenv(), overrides);
        ServerConfig config = ServerConfig.from(settings);
        List<SpeechEngineProvider> providers = ServiceLoader.load(SpeechEngineProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        EngineRegistry catalogue = EngineRegistry.catalogue(config.defaultEngine(), settings.asMap().get("FILE_ENGINE"),
                providers);
        EngineSelection chosen = new EngineSelector(catalogue).validate(EngineSelector.Use.FILE, id, language);
        if (!(chosen instanceof EngineSelection.Selected selected)) throw new UserException(chosen.error("engine"));
        String wanted = selected.id();
        Loaded loaded = new Loaded(providers, settings, config);
        try {
            StreamingEngine engine = loaded.create(wanted);
            return new Chosen(new Owning(engine, loaded.all), selected.language());
        } catch (EngineException e) {
            loaded.closeAll();
            throw new UserException(e.getMessage());
        } catch (RuntimeException e) {
            loaded.closeAll();
            throw e;
        }
    }

    /** The engines created so far, by id, so that a composed engine and the command share one instance of each. */
    private static final class Loaded {
        final List<SpeechEngineProvider> providers;
        final Settings settings;
        final ServerConfig config;
        final Map<String, SpeechEngine> byId = new LinkedHashMap<>();
        final List<SpeechEngine> all = new ArrayList<>();

        Loaded(List<SpeechEngineProvider> providers, Settings settings, ServerConfig config) {
            this.providers = providers;
            this.settings = settings;
            this.config = config;
        }

        StreamingEngine create(String id) throws EngineException {
            SpeechEngine existing = byId.get(id);
            if (existing == null) {
                SpeechEngineProvider provider = providers.stream().filter(p -> p.id().equals(id)).findFirst()
                        .orElseThrow(() -> new UserException("unknown engine '" + id + "'; installed: "
                                + providers.stream().map(SpeechEngineProvider::id).toList()));
                // Only the provider's own settings, as the server gives them (EngineRegistry.contextFor).
                existing = provider.create(EngineRegistry.contextFor(provider,
                        new EngineContext(settings.asMap(), config.cacheDir(), this::lookup)));
                byId.put(id, existing);
                all.add(existing);
            }
            if (existing instanceof StreamingEngine se) return se;
            throw new UserException("engine '" + id + "' cannot transcribe streams");
        }

        /** A part that fails stops the command with the part's own reason, which says more than "not loaded". */
        // timeout unused: this method is passed as an EngineLookup (this::lookup), whose await(id, timeout) it must
        // match; here a part is created on the spot, so there is nothing to wait for.
        @SuppressWarnings("PMD.UnusedFormalParameter")
        private Optional<StreamingEngine> lookup(String id, Duration timeout) {
            try {
                return Optional.of(create(id));
            } catch (EngineException e) {
                throw new UserException("engine '" + id + "': " + e.getMessage());
            }
        }

        void closeAll() {
            for (SpeechEngine e : all.reversed()) e.close();
        }
    }

    /** The command's engine; closing it closes all the engines loaded for it, composed ones last. */
    private record Owning(StreamingEngine engine, List<SpeechEngine> loaded) implements StreamingEngine {
        @Override
        public EngineDescriptor descriptor() {
            return engine.descriptor();
        }

        @Override
        public boolean isReady() {
            return engine.isReady();
        }

        @Override
        public RecognitionSession open(SessionOptions options, RecognitionListener listener) throws EngineException {
            return engine.open(options, listener);
        }

        @Override
        public void close() {
            for (SpeechEngine e : loaded.reversed()) e.close();
        }
    }
}
