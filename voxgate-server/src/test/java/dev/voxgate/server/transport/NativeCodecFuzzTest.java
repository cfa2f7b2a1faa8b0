package dev.voxgate.server.transport;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the native protocol's text frames (docs/protocol.md, "Text frames"): whatever text a
 * client sends, {@link NativeCodec#decode} answers with one of the four {@link ClientMessage}s, never an exception,
 * and agrees with a strict reading of the protocol. Fuzzes for a bounded time in {@code mvn verify} (the
 * {@code fuzz-*} executions in the pom), replays {@code NativeCodecFuzzTestInputs} otherwise; docs/testing.md,
 * "Fuzzing".
 */
@Timeout(120)
class NativeCodecFuzzTest {
    /** The oracle: the protocol's "one JSON object with a string type", read strictly. */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @FuzzTest(maxDuration = "15s")
    @Timeout(5)
    @DictionaryEntries({"{\"type\":", "\"end_stream\"", "\"keepalive\"", "\"type\"", "}", "[", "]", "null", "\\u",
            "1e999", "\":\"", ","})
    void decodeAnswersEveryTextWithAMessage(byte[] frame) {
        // Jetty hands the endpoint text frames already decoded from UTF-8.
        String text = new String(frame, StandardCharsets.UTF_8);
        ClientMessage m = NativeCodec.decode(text);
        assertThat(m).isNotNull();
        String expectedType = typeOf(text);
        switch (m) {
            case ClientMessage.EndStream e -> assertThat(expectedType).isEqualTo("end_stream");
            case ClientMessage.KeepAlive k -> assertThat(expectedType).isEqualTo("keepalive");
            case ClientMessage.UnknownType u -> {
                assertThat(u.type()).isEqualTo(expectedType).isNotIn("end_stream", "keepalive");
                // What the server reads back from a client that echoes the type it was told is unknown.
                assertThat(NativeCodec.decode(STRICT.createObjectNode().put("type", u.type()).toString()))
                        .isEqualTo(u);
            }
            case ClientMessage.Malformed bad -> {
                assertThat(expectedType).as("a well-formed message read as malformed").isNull();
                assertThat(bad.reason()).isNotBlank().hasSizeLessThan(200).doesNotContain("com.fasterxml", "Exception");
            }
        }
    }

    /** The string {@code type} of a frame that is exactly one JSON object of at most 4096 characters, else null. */
    private static String typeOf(String text) {
        if (text.length() > NativeCodec.MAX_TEXT_CHARS) return null;
        JsonNode node;
        try {
            node = STRICT.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (node == null || !node.isObject() || !node.path("type").isTextual()) return null;
        return node.get("type").textValue();
    }
}
