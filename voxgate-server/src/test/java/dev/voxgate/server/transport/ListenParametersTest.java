package dev.voxgate.server.transport;

import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.session.SessionRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(5)
class ListenParametersTest {

    private static ListenParameters.Result parse(Map<String, String> q) {
        Map<String, List<String>> m = new HashMap<>();
        q.forEach((k, v) -> m.put(k, List.of(v)));
        return ListenParameters.parse(m);
    }

    @Test
    void defaultsAre16kHzAndTheDefaultEngine() {
        assertThat(parse(Map.of())).isEqualTo(new ListenParameters.Result.Valid(new SessionRequest(null, 16000, null)));
    }

    @Test
    void readsRateEngineAndLanguage() {
        assertThat(parse(Map.of("sample_rate", "44100", "engine", "Vosk", "language", "en-US")))
                .isEqualTo(new ListenParameters.Result.Valid(new SessionRequest("vosk", 44100, "en-US")));
    }

    @Test
    void aPlusThatTheQueryDecodedToASpaceNamesTheComposedEngine() {
        assertThat(parse(Map.of("engine", "vosk whisper")))
                .isEqualTo(new ListenParameters.Result.Valid(new SessionRequest("vosk+whisper", 16000, null)));
    }

    @Test
    void rejectsBadValuesWithTheirCode() {
        assertThat(parse(Map.of("sample_rate", "0"))).isInstanceOfSatisfying(ListenParameters.Result.Invalid.class,
                i -> assertThat(i.code()).isEqualTo(ErrorCode.INVALID_PARAMETER));
    }

    /** Fuzzing found it (ListenParametersFuzzTestInputs/.../blank-engine): a blank id became the engine "". */
    @Test
    void blankEngineAndLanguageMeanTheDefaults() {
        assertThat(parse(Map.of("engine", " ", "language", "\t ")))
                .isEqualTo(new ListenParameters.Result.Valid(new SessionRequest(null, 16000, null)));
    }

    /** Fuzzing found it (ListenParametersFuzzTestInputs/.../surrogate-pair-cut-in-message). */
    @Test
    void theQuotedRateNeverEndsInHalfACharacter() {
        String rate = "1".repeat(39) + "\uD83C\uDFB5" + "0";
        assertThat(parse(Map.of("sample_rate", rate))).isInstanceOfSatisfying(ListenParameters.Result.Invalid.class,
                i -> assertThat(i.message()).contains("1".repeat(39) + "\uD83C\uDFB5…'"));
    }

    @Test
    void engineAndLanguageAreLeftToTheSelectorSoEverySurfaceWordsThemAlike() {
        assertThat(parse(Map.of("engine", "../etc/passwd", "language", "english please")))
                .isEqualTo(new ListenParameters.Result.Valid(new SessionRequest("../etc/passwd", 16000,
                        "english please")));
    }
}
