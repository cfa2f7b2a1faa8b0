package dev.voxgate.engine.openai;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class OpenAiCodecTest {
    @Test
    void theRequestIsAMultipartFormWithAWav() {
        short[] pcm = {1, -2, 3};
        OpenAiCodec.Multipart m = OpenAiCodec.request(pcm, 16000, "whisper-1", "en", "BOUNDARY");
        assertThat(m.contentType()).isEqualTo("multipart/form-data; boundary=BOUNDARY");
        String text = new String(m.body(), StandardCharsets.ISO_8859_1);
        assertThat(text).contains("name=\"model\"\r\n\r\nwhisper-1\r\n", "name=\"response_format\"\r\n\r\njson\r\n",
                "name=\"language\"\r\n\r\nen\r\n", "filename=\"utterance.wav\"", "RIFF").endsWith("--BOUNDARY--\r\n");
        byte[] wav = OpenAiCodec.wav(pcm, 16000);
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(wav).hasSize(44 + 6);
        assertThat(b.getInt(24)).as("sample rate").isEqualTo(16000);
        assertThat(b.getShort(22)).as("channels").isEqualTo((short) 1);
        assertThat(b.getShort(34)).as("bits").isEqualTo((short) 16);
        assertThat(b.getShort(46)).isEqualTo((short) -2);
    }

    @Test
    void repliesAndErrorsAreRead() {
        assertThat(OpenAiCodec.reply(200, "{\"text\":\"Hello.\"}")).isEqualTo(new OpenAiCodec.Reply.Text("Hello."));
        assertThat(OpenAiCodec.reply(401, "{\"error\":{\"message\":\"Incorrect API key\","
                + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"))
                .isEqualTo(new OpenAiCodec.Reply.Error(401, "Incorrect API key", "invalid_api_key"));
        assertThat(OpenAiCodec.reply(502, "<html>bad gateway</html>")).isEqualTo(new OpenAiCodec.Reply.Error(502, "",
                ""));
        assertThatThrownBy(() -> OpenAiCodec.reply(200, "[1,2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OpenAiCodec.reply(200, "{\"txt\":1}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settingsAreCheckedAndTheKeyNeverShows() throws Exception {
        Path cache = Path.of("target");
        assertThatThrownBy(() -> OpenAiConfig.from(new EngineContext(Map.of(), cache)))
                .isInstanceOf(EngineUnavailableException.class).hasMessageContaining("OPENAI_API_KEY");
        assertThatThrownBy(() -> OpenAiConfig.from(new EngineContext(Map.of("OPENAI_BASE_URL", "ftp://x"), cache)))
                .hasMessageContaining("OPENAI_BASE_URL");
        OpenAiConfig c = OpenAiConfig.from(new EngineContext(Map.of("OPENAI_API_KEY", "sk-secret"), cache));
        assertThat(c.toString()).doesNotContain("sk-secret");
        assertThat(c.model()).isEqualTo("whisper-1");
        assertThat(c.transcriptions()).hasToString("https://api.openai.com/v1/audio/transcriptions");
        OpenAiConfig local = OpenAiConfig.from(new EngineContext(Map.of("OPENAI_BASE_URL", "http://box:8080/v1/"),
                cache));
        assertThat(local.apiKey()).isEmpty();
        assertThat(local.models()).hasToString("http://box:8080/v1/models");
        assertThat(new OpenAiEngineProvider().missingSettings(new EngineContext(Map.of(), cache))).isPresent();
    }
}
