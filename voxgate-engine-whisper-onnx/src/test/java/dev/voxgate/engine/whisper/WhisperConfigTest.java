package dev.voxgate.engine.whisper;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class WhisperConfigTest {
    private static WhisperConfig read(Map<String, String> settings) throws EngineUnavailableException {
        return WhisperConfig.from(new EngineContext(settings, Path.of("cache")));
    }

    @Test
    void defaultsAreFourBeamsAndOneThreadAndOneDecodePerCore() throws Exception {
        WhisperConfig c = read(Map.of());
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(c.model()).isEmpty();
        assertThat(c.modelSha256()).isEmpty();
        assertThat(c.beams()).isEqualTo(4);
        assertThat(c.threads()).isEqualTo(cores);
        assertThat(c.concurrency()).isEqualTo(cores);
    }

    @Test
    void settingsAreRead() throws Exception {
        WhisperConfig c =
                read(Map.of("WHISPER_ONNX_MODEL", " /models/w.onnx ", "WHISPER_BEAMS", "1", "WHISPER_THREADS", "3",
                "WHISPER_ONNX_MODEL_SHA256", "DEFC8404A61CD8E209576772312511F217D93D3A8A9A9D0CF41F47CE67B6083C"));
        assertThat(c.model()).contains(Path.of("/models/w.onnx"));
        assertThat(c.modelSha256()).contains("defc8404a61cd8e209576772312511f217d93d3a8a9a9d0cf41f47ce67b6083c");
        assertThat(c.beams()).isEqualTo(1);
        assertThat(c.threads()).isEqualTo(3);
    }

    @Test
    void wrongValuesNameTheVariableAndTheRange() {
        assertThatThrownBy(() -> read(Map.of("WHISPER_BEAMS", "9"))).isInstanceOf(EngineUnavailableException.class)
                .hasMessageContaining("WHISPER_BEAMS=9").hasMessageContaining("from 1 to 8");
        assertThatThrownBy(() -> read(Map.of("WHISPER_BEAMS", "four"))).hasMessageContaining("WHISPER_BEAMS=four");
        assertThatThrownBy(() -> read(Map.of("WHISPER_THREADS", "-1"))).hasMessageContaining("WHISPER_THREADS=-1");
        assertThatThrownBy(() -> read(Map.of("WHISPER_ONNX_MODEL_SHA256", "abc")))
                .hasMessageContaining("WHISPER_ONNX_MODEL_SHA256=abc");
    }
}
