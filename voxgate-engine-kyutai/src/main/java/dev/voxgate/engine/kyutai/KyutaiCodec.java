package dev.voxgate.engine.kyutai;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * moshi-server's streaming ASR protocol as pure functions, from the client's side: messages to binary frames and
 * back, no I/O. Every frame is one msgpack map whose {@code "type"} names the message (serde's internally tagged
 * enums, as moshi-server's {@code rmp_serde} writes and reads them).
 */
final class KyutaiCodec {
    private KyutaiCodec() {
    }

    /**
     * {@code {"type":"Audio","pcm":[…]}}: samples at 24 kHz as single-precision floats in [-1, 1], as Kyutai's own
     * clients send them ({@code use_single_float=True}).
     */
    static byte[] audio(float[] pcm, int from, int count) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(2);
            p.packString("type").packString("Audio");
            p.packString("pcm").packArrayHeader(count);
            for (int i = from; i < from + count; i++) p.packFloat(pcm[i]);
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a buffer packer does no I/O
        }
    }

    /** {@code {"type":"Marker","id":id}}: the server sends it back once everything before it is transcribed. */
    static byte[] marker(long id) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(2);
            p.packString("type").packString("Marker");
            p.packString("id").packLong(id);
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @throws IllegalArgumentException when the frame is not a message of the protocol (not msgpack, not a map, no
     *                                  type, a field of the wrong kind, bytes left over): the remote is not
     *                                  moshi-server, or a broken one
     */
    static KyutaiMessage decode(byte[] frame) {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(frame)) {
            if (!u.hasNext() || u.getNextFormat().getValueType() != ValueType.MAP) {
                throw new IllegalArgumentException("a frame that is not a msgpack map");
            }
            int n = u.unpackMapHeader();
            String type = null, text = null, message = null;
            Double startTime = null, stopTime = null;
            Long id = null, stepIdx = null, bufferedPcm = null;
            List<Float> prs = null;
            for (int i = 0; i < n; i++) {
                if (u.getNextFormat().getValueType() != ValueType.STRING) {
                    throw new IllegalArgumentException("a map key that is not a string");
                }
                String key = u.unpackString();
                switch (key) {
                    case "type" -> type = string(u, key);
                    case "text" -> text = string(u, key);
                    case "message" -> message = string(u, key);
                    case "start_time" -> startTime = number(u, key);
                    case "stop_time" -> stopTime = number(u, key);
                    case "id" -> id = integer(u, key);
                    case "step_idx" -> stepIdx = integer(u, key);
                    case "buffered_pcm" -> bufferedPcm = integer(u, key);
                    case "prs" -> prs = floats(u, key);
                    default -> u.skipValue(); // a field a newer server added
                }
            }
            if (u.hasNext()) throw new IllegalArgumentException("bytes after the message");
            if (type == null) throw new IllegalArgumentException("a map without a \"type\"");
            return switch (type) {
                case "Ready" -> new KyutaiMessage.Ready();
                case "Word" -> new KyutaiMessage.Word(require(text, type, "text"),
                        require(startTime, type, "start_time"));
                case "EndWord" -> new KyutaiMessage.EndWord(require(stopTime, type, "stop_time"));
                case "Step" -> new KyutaiMessage.Step(stepIdx == null ? 0 : stepIdx, prs == null ? List.of() : prs,
                        bufferedPcm == null ? 0 : bufferedPcm);
                case "Marker" -> new KyutaiMessage.Marker(require(id, type, "id"));
                case "Error" -> new KyutaiMessage.Error(message == null ? "" : message);
                default -> new KyutaiMessage.Other(type);
            };
        } catch (IOException | MessagePackException e) {
            throw new IllegalArgumentException("a frame that is not valid msgpack (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    private static <T> T require(T value, String type, String field) {
        if (value == null) throw new IllegalArgumentException("a " + type + " without " + field);
        return value;
    }

    private static String string(MessageUnpacker u, String key) throws IOException {
        if (u.getNextFormat().getValueType() != ValueType.STRING) throw wrong(key, "a string");
        return u.unpackString();
    }

    private static double number(MessageUnpacker u, String key) throws IOException {
        MessageFormat f = u.getNextFormat();
        double v = switch (f.getValueType()) {
            case FLOAT -> u.unpackDouble();
            case INTEGER -> u.unpackLong();
            default -> throw wrong(key, "a number");
        };
        if (!Double.isFinite(v)) throw wrong(key, "a finite number");
        return v;
    }

    private static long integer(MessageUnpacker u, String key) throws IOException {
        if (u.getNextFormat().getValueType() != ValueType.INTEGER) throw wrong(key, "an integer");
        return u.unpackLong();
    }

    private static List<Float> floats(MessageUnpacker u, String key) throws IOException {
        if (u.getNextFormat().getValueType() != ValueType.ARRAY) throw wrong(key, "an array");
        int n = u.unpackArrayHeader();
        List<Float> out = new ArrayList<>(Math.min(n, 64));
        for (int i = 0; i < n; i++) out.add((float) number(u, key));
        return out;
    }

    private static IllegalArgumentException wrong(String key, String what) {
        return new IllegalArgumentException("a \"" + key + "\" that is not " + what);
    }
}
