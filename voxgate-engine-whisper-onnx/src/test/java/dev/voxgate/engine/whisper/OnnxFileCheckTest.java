package dev.voxgate.engine.whisper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class OnnxFileCheckTest {

    private static byte[] sileroBytes() throws Exception {
        try (InputStream in = OnnxFileCheckTest.class.getResourceAsStream(ModelSpec.vad().resource())) {
            return in.readAllBytes();
        }
    }

    @Test
    void aCompleteModelPasses(@TempDir Path dir) throws Exception {
        Path model = Files.write(dir.resolve("vad.onnx"), sileroBytes());
        assertThat(OnnxFileCheck.problem(model)).isEmpty();
    }

    @Test
    void everyTruncationIsFound(@TempDir Path dir) throws Exception {
        byte[] model = sileroBytes();
        for (int length : new int[] {1, 2, 10, 100, 1000, model.length / 2, model.length - 1}) {
            Path cut = Files.write(dir.resolve("cut-" + length + ".onnx"), Arrays.copyOf(model, length));
            assertThat(OnnxFileCheck.problem(cut)).as("%d of %d bytes", length, model.length)
                    .hasValueSatisfying(p -> assertThat(p).containsAnyOf("truncated", "not an ONNX model"));
        }
    }

    @Test
    void filesThatAreNoModelAreFound(@TempDir Path dir) throws Exception {
        assertThat(OnnxFileCheck.problem(Files.write(dir.resolve("empty"), new byte[0]))).contains("is empty");
        assertThat(OnnxFileCheck.problem(Files.writeString(dir.resolve("text"), "hello, this is text\n"))).isPresent();
        assertThat(OnnxFileCheck.problem(Files.write(dir.resolve("zip"), new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0})))
                .isPresent();
        assertThat(OnnxFileCheck.problem(dir.resolve("missing")))
                .hasValueSatisfying(p -> assertThat(p).contains("cannot be read"));
    }

    @Test
    void aWellFormedMessageWithoutAGraphIsNoModel(@TempDir Path dir) throws Exception {
        // ir_version = 8 (field 1, varint), producer_name = "x" (field 2, bytes)
        byte[] noGraph = {0x08, 0x08, 0x12, 0x01, 'x'};
        assertThat(OnnxFileCheck.problem(Files.write(dir.resolve("nograph"), noGraph)))
                .contains("is not an ONNX model (no graph)");
        byte[] withGraph = {0x08, 0x08, 0x3a, 0x02, 0x0a, 0x00};
        assertThat(OnnxFileCheck.problem(Files.write(dir.resolve("graph"), withGraph))).isEmpty();
    }
}
