package dev.voxgate.server.transport;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voxgate.api.Segment;
import dev.voxgate.api.Word;
import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.session.SessionInfo;

import java.io.IOException;

/**
 * The native protocol's text frames (docs/protocol.md), as pure functions: JSON text to
 * {@link ClientMessage}, server events to JSON text. No I/O.
 */
public final class NativeCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longest text frame worth parsing: control messages are tiny. */
    static final int MAX_TEXT_CHARS = 4096;

    private NativeCodec() {
    }

    public static ClientMessage decode(String text) {
        if (text.length() > MAX_TEXT_CHARS) return new ClientMessage.Malformed("text frame longer than "
                + MAX_TEXT_CHARS + " characters");
        JsonNode node;
        try (JsonParser parser = JSON.createParser(text)) {
            node = JSON.readTree(parser);
            // One object per frame: what follows it would otherwise be dropped without a word.
            if (node != null && parser.nextToken() != null) {
                return new ClientMessage.Malformed("text frame holds more than one JSON value (the second at character "
                        + (parser.currentTokenLocation().getCharOffset() + 1) + "); send one message per frame");
            }
        } catch (JsonProcessingException e) {
            // The parser's own text quotes the input and names Java types: say where instead.
            var at = e.getLocation();
            return new ClientMessage.Malformed("text frame is not valid JSON" + (at == null ? "" : " (at character "
                    + (at.getCharOffset() + 1) + ")") + "; send {\"type\":\"end_stream\"} or {\"type\":\"keepalive\"}");
        } catch (IOException e) {
            return new ClientMessage.Malformed("text frame is not valid JSON");
        }
        if (node == null
                || !node.isObject()) return new ClientMessage.Malformed("text frame must be a JSON object with a "
                + "\"type\"");
        JsonNode type = node.get("type");
        if (type == null
                || !type.isTextual()) return new ClientMessage.Malformed("JSON message has no string \"type\"");
        return switch (type.asText()) {
            case "end_stream" -> new ClientMessage.EndStream();
            case "keepalive" -> new ClientMessage.KeepAlive();
            default -> new ClientMessage.UnknownType(type.asText());
        };
    }

    public static String ready(SessionInfo s) {
        ObjectNode n = JSON.createObjectNode().put("type", "ready").put("sessionId", s.id()).put("engine", s.engine())
                .put("sampleRate", s.sampleRate());
        return n.toString();
    }

    public static String partial(String text) {
        return JSON.createObjectNode().put("type", "partial").put("text", text).toString();
    }

    public static String finalResult(Segment seg) {
        ObjectNode n = JSON.createObjectNode().put("type", "final");
        return segment(n, seg).toString();
    }

    /** Writes a segment's text, start, end and words into {@code n}. */
    public static ObjectNode segment(ObjectNode n, Segment seg) {
        n.put("text", seg.text()).put("start", round(seg.start())).put("end", round(seg.end()));
        ArrayNode words = n.putArray("words");
        for (Word w : seg.words()) {
            words.addObject().put("word", w.word()).put("start", round(w.start())).put("end", round(w.end()))
                    .put("confidence", round(w.confidence()));
        }
        return n;
    }

    /** {@code {"type":"notice","code":…,"message":…,"engine":…}}: news that does not end the session. */
    public static String notice(String code, String message, String engine) {
        return JSON.createObjectNode().put("type", "notice").put("code", code).put("message", message)
                .put("engine", engine).toString();
    }

    public static String error(ErrorCode code, String message) {
        return JSON.createObjectNode().put("type", "error").put("code", code.code()).put("message", message).toString();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
