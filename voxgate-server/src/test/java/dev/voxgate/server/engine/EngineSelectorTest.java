package dev.voxgate.server.engine;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineContext;
import dev.voxgate.api.SpeechEngine;
import dev.voxgate.api.SpeechEngineProvider;
import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.testkit.FakeEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class EngineSelectorTest {
    private final FakeEngine fake = FakeEngine.builder("fake").build();
    private final FakeEngine other = FakeEngine.builder("other").build();
    private final EngineSelector selector = new EngineSelector(EngineRegistry.of("fake", List.of(fake, other)));

    @Test
    void noEngineMeansTheDefaultForThatUse() {
        assertThat(selector.select(EngineSelector.Use.STREAM, null, null))
                .isEqualTo(new EngineSelection.Selected("fake", fake, null));
        EngineSelection file = selector.select(EngineSelector.Use.FILE, " ", null);
        assertThat(file).isInstanceOfSatisfying(EngineSelection.Selected.class, s -> {
            assertThat(s.id()).isEqualTo("fake");
            assertThat(s.language()).as("files get the engine's first language")
                    .isEqualTo(fake.descriptor().capabilities().languages().get(0));
        });
    }

    @Test
    void idsAreCaseInsensitiveAndAnUnescapedPlusIsNotASpace() {
        assertThat(selector.select(EngineSelector.Use.STREAM, " Other ", null))
                .isInstanceOf(EngineSelection.Selected.class);
        assertThat(EngineSelector.normalise("vosk whisper")).isEqualTo("vosk+whisper");
    }

    @Test
    void anUnknownEngineNamesTheInstalledOnes() {
        EngineSelection s = selector.select(EngineSelector.Use.FILE, "NOPE", null);
        assertThat(s).isEqualTo(new EngineSelection.Unknown("nope", List.of("fake", "other")));
        assertThat(s.error("engine").code()).isEqualTo(ErrorCode.UNKNOWN_ENGINE);
        assertThat(s.error("engine").message()).isEqualTo("unknown engine 'nope'; installed: fake, other");
        assertThat(s.error("model").param()).isEqualTo("model");
    }

    @Test
    void aLanguageTheEngineLacksOrThatIsNoTagIsUnsupported() {
        for (String language : List.of("xx", "english please", "../../etc")) {
            EngineSelection s = selector.select(EngineSelector.Use.STREAM, null, language);
            assertThat(s).as(language).isInstanceOf(EngineSelection.UnsupportedLanguage.class);
            assertThat(s.error("engine").code()).isEqualTo(ErrorCode.UNSUPPORTED_LANGUAGE);
            assertThat(s.error("engine").param()).isEqualTo("language");
        }
    }

    @Test
    void openAiModelNamesSelectTheFileDefaultAndOtherNamesAreUnknown() {
        for (String model : List.of("whisper-1", "gpt-4o-transcribe", "GPT-4o-mini-transcribe", "")) {
            assertThat(selector.selectModel(model, null)).as(model).isInstanceOf(EngineSelection.Selected.class);
        }
        assertThat(selector.selectModel("other", null)).isInstanceOfSatisfying(EngineSelection.Selected.class,
                s -> assertThat(s.id()).isEqualTo("other"));
        assertThat(selector.selectModel("whisper-2", null)).isInstanceOf(EngineSelection.Unknown.class);
        assertThat(selector.isModel("whisper-1")).isTrue();
        assertThat(selector.isModel("whisper-2")).isFalse();
    }

    @Test
    void anEngineStillLoadingIsNotReadyNowButPassesForAQueuedJob() {
        SpeechEngineProvider slow = new SpeechEngineProvider() {
            @Override
            public String id() {
                return "slow";
            }

            @Override
            public EngineCapabilities capabilities() {
                return fake.descriptor().capabilities();
            }

            @Override
            public SpeechEngine create(EngineContext context) {
                throw new AssertionError("a catalogue loads nothing");
            }
        };
        EngineSelector loading = new EngineSelector(EngineRegistry.catalogue("slow", null, List.of(slow)));
        EngineSelection now = loading.select(EngineSelector.Use.FILE, "slow", null);
        assertThat(now).isEqualTo(new EngineSelection.NotReady("slow", "is still loading"));
        assertThat(now.error("engine").code()).isEqualTo(ErrorCode.ENGINE_UNAVAILABLE);
        assertThat(loading.validate(EngineSelector.Use.FILE, "slow", "en"))
                .isEqualTo(new EngineSelection.Selected("slow", null, "en"));
        assertThat(loading.validate(EngineSelector.Use.FILE, "slow", "de")).as("languages are known before loading")
                .isInstanceOf(EngineSelection.UnsupportedLanguage.class);
    }
}
