package dev.voxgate.engine.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.api.Segment;
import dev.voxgate.api.Word;

import java.util.ArrayList;
import java.util.List;

/** The native protocol as pure functions, from the client's side: text frames to messages and back. No I/O. */
final class UpstreamCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private UpstreamCodec() {
    }

    static String endStream() {
        return "{\"type\":\"end_stream\"}";
    }

    /**
     * @throws IllegalArgumentException when the frame is not a message of the protocol (not JSON, no type, a final
     *                                  without numbers): the remote is not a Voxgate, or a broken one
     */
    static UpstreamMessage decode(String text) {
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a text frame that is not JSON");
        }
        if (n == null || !n.isObject() || !n.path("type").isTextual()) {
            throw new IllegalArgumentException("a text frame that is not a JSON object with a \"type\"");
        }
        String type = n.get("type").asText();
        return switch (type) {
            case "ready" -> new UpstreamMessage.Ready(n.path("sessionId").asText(""), n.path("engine").asText(""));
            case "partial" -> new UpstreamMessage.Partial(requireText(n, "partial"));
            case "final" -> new UpstreamMessage.Final(segment(n));
            case "error" -> new UpstreamMessage.Error(n.path("code").asText("unknown"), n.path("message").asText(""));
            default -> new UpstreamMessage.Other(type);
        };
    }

    private static String requireText(JsonNode n, String type) {
        if (!n.path("text").isTextual()) throw new IllegalArgumentException("a " + type + " without text");
        return n.get("text").asText();
    }

    private static Segment segment(JsonNode n) {
        String text = requireText(n, "final");
        if (!n.path("start").isNumber() || !n.path("end").isNumber()) {
            throw new IllegalArgumentException("a final without start and end times");
        }
        List<Word> words = new ArrayList<>();
        for (JsonNode w : n.path("words")) {
            String word = w.path("word").asText("");
            double start = w.path("start").asDouble(), end = w.path("end").asDouble();
            if (word.isBlank() || end < start) continue;
            words.add(new Word(word, start, end, w.path("confidence").asDouble(1.0)));
        }
        double start = n.get("start").asDouble(), end = n.get("end").asDouble();
        if (end < start) throw new IllegalArgumentException("a final that ends before it starts");
        return new Segment(text, start, end, words);
    }
}
