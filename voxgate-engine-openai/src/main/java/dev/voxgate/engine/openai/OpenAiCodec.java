package dev.voxgate.engine.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** OpenAI's transcription request and reply as pure functions: a multipart body, a JSON reply. No I/O. */
final class OpenAiCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiCodec() {
    }

    /** A request body and the content type that names its boundary. */
    record Multipart(String contentType, byte[] body) {
    }

    /** What a reply said: the text, or the API's error. */
    sealed interface Reply {
        record Text(String text) implements Reply {
        }

        /** The API's error: HTTP status, and OpenAI's {@code error.message} / {@code error.code} when present. */
        record Error(int status, String message, String code) implements Reply {
        }
    }

    /** {@code file} (a mono PCM16 WAV), {@code model}, {@code response_format=json}, and {@code language} if given. */
    static Multipart request(short[] pcm, int sampleRate, String model, String language, String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(pcm.length * 2 + 1024);
        field(out, boundary, "model", model);
        field(out, boundary, "response_format", "json");
        if (language != null) field(out, boundary, "language", language);
        write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"utterance.wav\""
                + "\r\nContent-Type: audio/wav\r\n\r\n");
        out.writeBytes(wav(pcm, sampleRate));
        write(out, "\r\n--" + boundary + "--\r\n");
        return new Multipart("multipart/form-data; boundary=" + boundary, out.toByteArray());
    }

    private static void field(ByteArrayOutputStream out, String boundary, String name, String value) {
        write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n");
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A canonical 44-byte-header WAV: PCM16, mono. */
    static byte[] wav(short[] pcm, int sampleRate) {
        int data = pcm.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(36 + data).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
        b.put(ascii("data")).putInt(data);
        for (short s : pcm) b.putShort(s);
        return b.array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads a reply.
     *
     * @throws IllegalArgumentException when a 200 reply is not the JSON object with a string {@code text} that
     *                                  {@code response_format=json} asks for
     */
    static Reply reply(int status, String body) {
        if (status == 200) {
            JsonNode n = parse(body);
            if (n == null || !n.path("text").isTextual()) {
                throw new IllegalArgumentException("a reply without a \"text\" string");
            }
            return new Reply.Text(n.get("text").asText());
        }
        JsonNode n;
        try {
            n = parse(body);
        } catch (IllegalArgumentException e) {
            n = null;
        }
        JsonNode err = n == null ? null : n.path("error");
        String message = err != null && err.path("message").isTextual() ? err.get("message").asText() : "";
        String code = err != null && err.path("code").isTextual() ? err.get("code").asText()
                : err != null && err.path("type").isTextual() ? err.get("type").asText() : "";
        return new Reply.Error(status, clip(message), code);
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a reply that is not JSON");
        }
    }

    private static String clip(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
