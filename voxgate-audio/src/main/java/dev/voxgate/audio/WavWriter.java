package dev.voxgate.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes 16-bit PCM WAV files (44-byte canonical header). */
public final class WavWriter {
    private WavWriter() {
    }

    /** Writes interleaved 16-bit samples with the given channel count. */
    public static void write(Path path, int sampleRate, int channels, short[] interleaved) throws IOException {
        try (OutputStream out = Files.newOutputStream(path)) {
            write(out, sampleRate, channels, interleaved);
        }
    }

    public static void write(Path path, PcmAudio audio) throws IOException {
        write(path, audio.sampleRate(), 1, audio.samples());
    }

    public static void write(OutputStream out, int sampleRate, int channels, short[] interleaved) throws IOException {
        out.write(header(sampleRate, channels, interleaved.length * 2L));
        out.write(Pcm16.toBytes(interleaved));
    }

    public static byte[] header(int sampleRate, int channels, long dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (36 + dataBytes))
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) channels).putInt(sampleRate)
                .putInt(sampleRate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) dataBytes);
        return b.array();
    }
}
