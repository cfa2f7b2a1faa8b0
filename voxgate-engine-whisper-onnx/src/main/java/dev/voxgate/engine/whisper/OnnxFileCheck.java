package dev.voxgate.engine.whisper;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A cheap structural check of an ONNX file whose checksum is not known (a user's own
 * {@code WHISPER_ONNX_MODEL}), made before ONNX Runtime is given it.
 *
 * <p>An ONNX file is one protobuf {@code ModelProto}. This walks its top-level fields without
 * reading their contents: every field must have a valid wire type, every length-delimited field
 * must fit in the file, the last must end exactly at the end of the file, and the graph (field 7)
 * must be there. A truncated copy fails because the graph, which holds nearly all the bytes, then
 * claims more bytes than the file has; a text file, an archive or an empty file fails at once. A
 * file damaged in the middle passes: only a checksum ({@code WHISPER_ONNX_MODEL_SHA256}) catches
 * that.
 */
final class OnnxFileCheck {
    private static final int GRAPH_FIELD = 7;

    private OnnxFileCheck() {
    }

    /** What is wrong with the file's structure, or empty when it looks like a complete ONNX model. */
    static Optional<String> problem(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) return Optional.of("is empty");
            Reader r = new Reader(ch);
            boolean graph = false;
            while (r.pos < size) {
                long key = r.varint();
                int field = (int) (key >>> 3), wire = (int) (key & 7);
                if (field <= 0) return Optional.of("is not an ONNX model (bad protobuf field at byte " + r.pos + ")");
                switch (wire) {
                    case 0 -> r.varint();
                    case 1 -> r.pos += 8;
                    case 2 -> {
                        long len = r.varint();
                        if (len < 0 || r.pos + len > size) {
                            return Optional.of("is truncated or not an ONNX model: field " + field + " at byte " + r.pos
                                    + " needs " + len + " bytes, the file has " + (size - r.pos) + " left");
                        }
                        r.pos += len;
                        if (field == GRAPH_FIELD) graph = true;
                    }
                    case 5 -> r.pos += 4;
                    default -> {
                        return Optional.of("is not an ONNX model (protobuf wire type " + wire + " at byte " + r.pos
                                + ")");
                    }
                }
            }
            if (r.pos != size) return Optional.of("is truncated (its last field ends past the end of the file)");
            if (!graph) return Optional.of("is not an ONNX model (no graph)");
            return Optional.empty();
        } catch (EOFException e) {
            return Optional.of("is truncated (ends inside a protobuf field header)");
        } catch (IOException e) {
            return Optional.of("cannot be read (" + e.getMessage() + ")");
        }
    }

    private static final class Reader {
        private final FileChannel ch;
        private final ByteBuffer one = ByteBuffer.allocate(1);
        long pos;

        Reader(FileChannel ch) {
            this.ch = ch;
        }

        long varint() throws IOException {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                one.clear();
                if (ch.read(one, pos) != 1) throw new EOFException();
                pos++;
                int b = one.get(0) & 0xff;
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) return result;
            }
            throw new IOException("varint longer than 10 bytes at byte " + pos);
        }
    }
}
