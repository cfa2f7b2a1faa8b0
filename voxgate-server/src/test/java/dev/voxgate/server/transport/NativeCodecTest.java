package dev.voxgate.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.api.Segment;
import dev.voxgate.api.Word;
import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.session.SessionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(5)
class NativeCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void decodesTheControlMessages() {
        assertThat(NativeCodec.decode("{\"type\":\"end_stream\"}")).isInstanceOf(ClientMessage.EndStream.class);
        assertThat(NativeCodec.decode(" {\"type\":\"keepalive\",\"extra\":1} "))
                .isInstanceOf(ClientMessage.KeepAlive.class);
        assertThat(NativeCodec.decode("{\"type\":\"flush\"}")).isEqualTo(new ClientMessage.UnknownType("flush"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[]", "\"end_stream\"", "{\"type\":null}", "{\"type\":[1]}",
            "{\"kind\":\"end_stream\"}", "\u0000"})
    void anythingElseIsMalformed(String text) {
        assertThat(NativeCodec.decode(text)).isInstanceOf(ClientMessage.Malformed.class);
    }

    /** Fuzzing found it (NativeCodecFuzzTestInputs/.../trailing-close-brace): what followed the object was dropped. */
    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\":\"}}", "{\"type\":\"end_stream\"}{\"type\":\"keepalive\"}",
            "{\"type\":\"keepalive\"} 1", "{\"type\":\"keepalive\"}x"})
    void aFrameIsOneObjectAndNothingAfterIt(String text) {
        assertThat(NativeCodec.decode(text)).isInstanceOfSatisfying(ClientMessage.Malformed.class,
                m -> assertThat(m.reason()).startsWith("text frame"));
    }

    @Test
    void whitespaceAroundTheObjectIsFine() {
        assertThat(NativeCodec.decode("\r\n {\"type\":\"end_stream\"} \n")).isInstanceOf(ClientMessage.EndStream.class);
    }

    @Test
    void hugeTextIsNotParsed() {
        String huge = "{\"type\":\"end_stream\",\"pad\":\"" + "x".repeat(10_000) + "\"}";
        assertThat(NativeCodec.decode(huge)).isInstanceOf(ClientMessage.Malformed.class);
    }

    @Test
    void finalCarriesWordsWithMillisecondTimes() throws Exception {
        Segment s = new Segment("hello world", 0.42, 1.3700001,
                List.of(new Word("hello", 0.42, 0.8, 0.98123), new Word("world", 0.8, 1.37, 1)));
        JsonNode n = JSON.readTree(NativeCodec.finalResult(s));
        assertThat(n.path("type").asText()).isEqualTo("final");
        assertThat(n.path("text").asText()).isEqualTo("hello world");
        assertThat(n.path("end").asDouble()).isEqualTo(1.37);
        assertThat(n.path("words").get(0).path("confidence").asDouble()).isEqualTo(0.981);
        assertThat(n.path("words").get(1).path("word").asText()).isEqualTo("world");
    }

    @Test
    void readyAndErrorHaveTheDocumentedFields() throws Exception {
        JsonNode ready = JSON.readTree(NativeCodec.ready(new SessionInfo("abc", "vosk", 44100, "x")));
        assertThat(ready.path("type").asText()).isEqualTo("ready");
        assertThat(ready.path("sessionId").asText()).isEqualTo("abc");
        assertThat(ready.path("engine").asText()).isEqualTo("vosk");
        assertThat(ready.path("sampleRate").asInt()).isEqualTo(44100);
        JsonNode error = JSON.readTree(NativeCodec.error(ErrorCode.OVER_CAPACITY, "full \"now\""));
        assertThat(error.path("code").asText()).isEqualTo("over_capacity");
        assertThat(error.path("message").asText()).isEqualTo("full \"now\"");
    }

    /** The parser's own text (which quotes input and names Java types) never reaches the client. */
    @ParameterizedTest
    @ValueSource(strings = {"{\"type\": nope}", "{\"type\":\"end_stream\"", "\u0000"})
    void malformedReasonsAreTheServersOwnWords(String text) {
        ClientMessage.Malformed m = (ClientMessage.Malformed) NativeCodec.decode(text);
        assertThat(m.reason()).startsWith("text frame is not valid JSON").contains("end_stream")
                .doesNotContain("Unrecognized").doesNotContain("Unexpected").doesNotContain("java")
                .doesNotContain("Source");
    }
}
