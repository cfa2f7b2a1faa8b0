package dev.voxgate.server.engine;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineLookup;
import dev.voxgate.api.SpeechEngine;
import dev.voxgate.api.SpeechEngineProvider;
import dev.voxgate.testkit.FakeEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class EngineRegistryTest {
    private static final Map<String, String> PROCESS_SETTINGS = Map.of(
            "DATABASE_URL", "postgresql://voxgate:secret@db:5432/voxgate",
            "ENGINE", "capture",
            "FILE_ENGINE", "capture",
            "PORT", "8080",
            "CAPTURE_MODEL_PATH", "/models/capture",
            "CAPTURE_THREADS", "3",
            "OTHER_MODEL_PATH", "/models/other",
            "CAPTURE_PLUS_MODEL", "/models/composed",
            "capture_lower", "not the prefix: names are case-sensitive, as the environment's");

    /** Remembers the context it was created with. */
    private static final class CapturingProvider implements SpeechEngineProvider {
        final String id;
        final CompletableFuture<EngineContext> seen = new CompletableFuture<>();

        CapturingProvider(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public EngineCapabilities capabilities() {
            return new EngineCapabilities(true, true, true, List.of(16000), 16000, List.of("en"));
        }

        @Override
        public SpeechEngine create(EngineContext context) throws EngineException {
            seen.complete(context);
            return FakeEngine.builder(id).build();
        }
    }

    @Test
    void anEngineSeesOnlyTheSettingsWithItsOwnPrefix() throws Exception {
        CapturingProvider capture = new CapturingProvider("capture");
        CapturingProvider composed = new CapturingProvider("capture+plus");
        Path cache = Path.of("target", "registry-test-cache");
        try (EngineRegistry registry = EngineRegistry.loading("capture", List.of(capture, composed),
                new EngineContext(PROCESS_SETTINGS, cache))) {
            assertThat(registry.awaitLoaded(5, TimeUnit.SECONDS)).isTrue();

            EngineContext own = capture.seen.get(5, TimeUnit.SECONDS);
            assertThat(own.settings()).containsOnlyKeys("CAPTURE_MODEL_PATH", "CAPTURE_THREADS", "CAPTURE_PLUS_MODEL");
            assertThat(own.setting("DATABASE_URL")).isEmpty();
            assertThat(own.setting("CAPTURE_MODEL_PATH")).contains("/models/capture");
            assertThat(own.cacheDir()).isEqualTo(cache);

            EngineContext composedOwn = composed.seen.get(5, TimeUnit.SECONDS);
            assertThat(composedOwn.settings()).containsOnlyKeys("CAPTURE_PLUS_MODEL");
            // It still finds the engines it composes through the lookup.
            assertThat(composedOwn.engines().await("capture", Duration.ofSeconds(5))).isPresent();

            // The registry itself still reads the process's settings.
            assertThat(registry.defaultFileEngine()).isEqualTo("capture");
        }
    }

    @Test
    void theRealEnginesPrefixesCoverTheirDocumentedSettings() {
        assertThat(EngineContext.settingsPrefix("vosk")).isEqualTo("VOSK_");
        assertThat(EngineContext.settingsPrefix("whisper")).isEqualTo("WHISPER_");
        assertThat(EngineContext.settingsPrefix("vosk+whisper")).isEqualTo("VOSK_WHISPER_");
        for (String documented : List.of("VOSK_MODEL_PATH", "VOSK_WARM_RECOGNIZERS")) assertThat(documented)
                .startsWith(EngineContext.settingsPrefix("vosk"));
        for (String documented : List.of("WHISPER_ONNX_MODEL", "WHISPER_ONNX_MODEL_SHA256", "WHISPER_BEAMS",
                "WHISPER_THREADS")) {
            assertThat(documented).startsWith(EngineContext.settingsPrefix("whisper"));
        }
    }

    @Test
    void contextForKeepsTheCacheFolderAndTheLookup() throws Exception {
        EngineLookup lookup = (id, timeout) -> Optional.empty();
        EngineContext whole = new EngineContext(PROCESS_SETTINGS, Path.of("cache"), lookup);
        EngineContext own = EngineRegistry.contextFor(new CapturingProvider("other"), whole);
        assertThat(own.settings()).containsOnly(Map.entry("OTHER_MODEL_PATH", "/models/other"));
        assertThat(own.cacheDir()).isEqualTo(Path.of("cache"));
        assertThat(own.engines()).isSameAs(lookup);
    }
}
