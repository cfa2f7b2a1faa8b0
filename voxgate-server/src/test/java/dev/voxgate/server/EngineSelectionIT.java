package dev.voxgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.audio.WavWriter;
import dev.voxgate.testkit.Utterance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One engine selector behind every surface: the same request gets the same code and the same
 * message on {@code /v1/listen}, {@code /api/jobs} and {@code /v1/audio/transcriptions}.
 */
@Timeout(300)
class EngineSelectionIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static byte[] speech;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of(), TestEngines.vosk());
        Utterance u = Speech.corpus().utterances().get(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WavWriter.write(out, 16_000, 1, Speech.audio(u).resampledTo(16_000).samples());
        speech = out.toByteArray();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private record Refusal(String code, String message) {
    }

    private static Refusal listen(String query) {
        try (WsClient c = WsClient.connect(server.ws("/v1/listen?" + query))) {
            WsClient.Result r = c.awaitClose();
            assertThat(r.ofType("ready")).as("refused before ready").isEmpty();
            return new Refusal(r.error().path("code").asText(), r.error().path("message").asText());
        }
    }

    private static Refusal post(String path, String engineField, String engine, String language) throws Exception {
        Multipart form = new Multipart().file("file", "talk.wav", speech).field(engineField, engine);
        if (language != null) form.field("language", language);
        HttpResponse<String> r = HTTP.send(form.post(server.http(path)), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode e = JSON.readTree(r.body()).path("error");
        return new Refusal(e.path("code").asText(), e.path("message").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nope", "whisper-2", "gpt-5", "Vosk2"})
    void anUnknownEngineIsTheSameRefusalOnEverySurface(String engine) throws Exception {
        Refusal ws = listen("engine=" + engine);
        Refusal job = post("/api/jobs", "engine", engine, null);
        Refusal openAi = post("/v1/audio/transcriptions", "model", engine, null);
        assertThat(ws.code()).isEqualTo("unknown_engine");
        assertThat(ws.message()).startsWith("unknown engine '" + engine.toLowerCase() + "'")
                .endsWith("installed: vosk");
        assertThat(job).isEqualTo(ws);
        assertThat(openAi).isEqualTo(ws);
    }

    @Test
    void anUnsupportedLanguageIsTheSameRefusalOnEverySurface() throws Exception {
        Refusal ws = listen("language=de");
        assertThat(ws.code()).isEqualTo("unsupported_language");
        assertThat(ws.message()).contains("'de'").contains("en");
        assertThat(post("/api/jobs", "engine", "vosk", "de")).isEqualTo(ws);
        assertThat(post("/v1/audio/transcriptions", "model", "vosk", "de")).isEqualTo(ws);
    }

    @ParameterizedTest
    @ValueSource(strings = {"whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe", "vosk"})
    void openAiModelNamesAndEngineIdsAreAccepted(String model) throws Exception {
        Multipart form = new Multipart().file("file", "talk.wav", speech).field("model", model);
        HttpResponse<String> r = HTTP.send(form.post(server.http("/v1/audio/transcriptions")),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("text").asText()).isNotBlank();
    }
}
