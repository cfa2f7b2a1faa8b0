package dev.voxgate.engine.whisperlive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * WhisperLive's wire format as pure functions, both ways (the client's first JSON, the server's JSON messages, the
 * audio frames), so a server-side endpoint can reuse it. No I/O.
 *
 * <p>Audio: the client sends binary frames of float32 little-endian samples in [-1, 1) at 16 kHz (the Python client
 * sends 4096 samples a frame, PCM16 divided by 32768), and ends the stream with the binary frame
 * {@code END_OF_AUDIO} (the server compares bytes: a text frame would not end it).
 */
public final class WhisperLiveCodec {
    /** The binary frame that ends the audio. */
    public static final byte[] END_OF_AUDIO = "END_OF_AUDIO".getBytes(StandardCharsets.US_ASCII);
    /** Samples in each audio frame the Python client sends. */
    public static final int FRAME_SAMPLES = 4096;

    private static final ObjectMapper JSON = new ObjectMapper();

    private WhisperLiveCodec() {
    }

    // ---- client → server

    public static String encode(WhisperLiveOptions o) {
        ObjectNode n = JSON.createObjectNode();
        n.put("uid", o.uid());
        n.put("language", o.language());
        n.put("task", o.task());
        n.put("model", o.model());
        n.put("use_vad", o.useVad());
        n.put("send_last_n_segments", o.sendLastNSegments());
        n.put("no_speech_thresh", o.noSpeechThresh());
        n.put("clip_audio", o.clipAudio());
        n.put("same_output_threshold", o.sameOutputThreshold());
        return n.toString();
    }

    /**
     * The server's side of {@link #encode(WhisperLiveOptions)}: missing fields take the server's defaults.
     *
     * @throws IllegalArgumentException when the frame is not a JSON object with a {@code uid}
     */
    public static WhisperLiveOptions decodeOptions(String text) {
        JsonNode n = object(text);
        if (!n.path("uid").isTextual()) throw new IllegalArgumentException("options without a uid");
        return new WhisperLiveOptions(n.get("uid").asText(), textOrNull(n.path("language")),
                n.path("task").asText("transcribe"), textOrNull(n.path("model")), n.path("use_vad").asBoolean(true),
                n.path("send_last_n_segments").asInt(10), n.path("no_speech_thresh").asDouble(0.45),
                n.path("clip_audio").asBoolean(false), n.path("same_output_threshold").asInt(10));
    }

    /** PCM16 little-endian to the float32 little-endian frame the server reads ({@code np.float32}). */
    public static byte[] toFloat32(byte[] pcm16, int offset, int length) {
        ByteBuffer in = ByteBuffer.wrap(pcm16, offset, length).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(length * 2).order(ByteOrder.LITTLE_ENDIAN);
        while (in.remaining() >= 2) out.putFloat(in.getShort() / 32768f);
        return out.array();
    }

    /** The inverse of {@link #toFloat32}: float32 samples back to PCM16, clipped to its range. */
    public static byte[] toPcm16(ByteBuffer float32) {
        ByteBuffer in = float32.slice().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(in.remaining() / 4 * 2).order(ByteOrder.LITTLE_ENDIAN);
        while (in.remaining() >= 4) {
            long s = Math.round(in.getFloat() * 32768.0);
            out.putShort((short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, s)));
        }
        return out.array();
    }

    public static boolean isEndOfAudio(ByteBuffer frame) {
        return frame.remaining() == END_OF_AUDIO.length && frame.slice().equals(ByteBuffer.wrap(END_OF_AUDIO));
    }

    // ---- server → client

    /**
     * Reads a server message the way the Python client does: a {@code status} first, then {@code DISCONNECT},
     * {@code SERVER_READY}, a detected {@code language}, then {@code segments}; anything else is
     * {@link WhisperLiveMessage.Other}.
     *
     * @throws IllegalArgumentException when the frame is not a message of the protocol (not a JSON object, a WAIT
     *                                  without minutes, segments that are not a list of segments): not a WhisperLive
     *                                  server, or a broken one
     */
    public static WhisperLiveMessage decode(String text) {
        JsonNode n = object(text);
        String uid = n.path("uid").asText("");
        if (n.has("status")) {
            String status = n.path("status").asText("");
            if (status.equals("WAIT")) {
                JsonNode m = n.path("message");
                if (!m.isNumber()) throw new IllegalArgumentException("a WAIT without its minutes");
                return new WhisperLiveMessage.Wait(uid, m.asDouble());
            }
            return new WhisperLiveMessage.Status(uid, status, n.path("message").asText(""));
        }
        String message = n.path("message").asText("");
        if (message.equals("DISCONNECT")) return new WhisperLiveMessage.Disconnect(uid);
        if (message.equals("SERVER_READY")) {
            return new WhisperLiveMessage.ServerReady(uid, n.path("backend").asText(""));
        }
        if (n.has("language")) {
            return new WhisperLiveMessage.Language(uid, n.path("language").asText(""),
                    n.path("language_prob").asDouble(Double.NaN));
        }
        if (n.has("segments")) return new WhisperLiveMessage.Segments(uid, segments(n.get("segments")));
        return new WhisperLiveMessage.Other(uid);
    }

    /** The server's side of {@link #decode}: the JSON the Python server sends for each message. */
    public static String encode(WhisperLiveMessage m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("uid", m.uid());
        switch (m) {
            case WhisperLiveMessage.ServerReady r -> n.put("message", "SERVER_READY").put("backend", r.backend());
            case WhisperLiveMessage.Wait w -> n.put("status", "WAIT").put("message", w.minutes());
            case WhisperLiveMessage.Status s -> n.put("status", s.status()).put("message", s.message());
            case WhisperLiveMessage.Disconnect d -> n.put("message", "DISCONNECT");
            case WhisperLiveMessage.Language l -> n.put("language", l.language()).put("language_prob",
                    l.probability());
            case WhisperLiveMessage.Segments s -> {
                ArrayNode a = n.putArray("segments");
                for (WhisperLiveSegment seg : s.segments()) {
                    a.addObject().put("start", time(seg.start())).put("end", time(seg.end())).put("text", seg.text())
                            .put("completed", seg.completed());
                }
            }
            case WhisperLiveMessage.Other o -> { }
        }
        return n.toString();
    }

    /** As the server formats times: {@code "{:.3f}".format(t)}. */
    static String time(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds);
    }

    private static List<WhisperLiveSegment> segments(JsonNode a) {
        if (!a.isArray()) throw new IllegalArgumentException("segments that are not a list");
        List<WhisperLiveSegment> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonNode s = a.get(i);
            if (!s.isObject() || !s.path("text").isTextual()) {
                throw new IllegalArgumentException("a segment without text");
            }
            double start = seconds(s.path("start")), end = seconds(s.path("end"));
            // Servers from before the "completed" flag: the Python client takes all but the last as completed.
            boolean completed = s.path("completed").isBoolean() ? s.get("completed").asBoolean() : i < a.size() - 1;
            out.add(new WhisperLiveSegment(start, Math.max(start, end), s.get("text").asText(), completed));
        }
        return out;
    }

    /** The server sends times as strings ({@code "1.234"}); numbers are taken too. */
    private static double seconds(JsonNode t) {
        double v;
        if (t.isNumber()) {
            v = t.asDouble();
        } else if (t.isTextual()) {
            try {
                v = Double.parseDouble(t.asText());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a segment time that is not a number");
            }
        } else {
            throw new IllegalArgumentException("a segment without start and end times");
        }
        if (!Double.isFinite(v) || v < 0) throw new IllegalArgumentException("a segment time that is not a time");
        return v;
    }

    private static JsonNode object(String text) {
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a text frame that is not JSON");
        }
        if (n == null || !n.isObject()) throw new IllegalArgumentException("a text frame that is not a JSON object");
        return n;
    }

    private static String textOrNull(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }
}
