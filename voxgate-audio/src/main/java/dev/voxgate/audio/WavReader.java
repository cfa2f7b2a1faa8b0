package dev.voxgate.audio;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads RIFF/WAVE files: integer PCM of 8, 16, 24 or 32 bits and IEEE float of 32 or 64 bits
 * (also inside WAVE_FORMAT_EXTENSIBLE), any channel count, rates from {@value #MIN_SAMPLE_RATE} to
 * {@value #MAX_SAMPLE_RATE} Hz. Channels are averaged to mono; samples are converted to 16 bits.
 * Anything else is an {@link UnsupportedWavException} that says what was found.
 */
public final class WavReader {
    /**
     * Lowest rate read. A header may claim any rate; below this one is not audio, and a few kilobytes at 1 Hz would
     * be hours at the engines' 16 kHz.
     */
    public static final int MIN_SAMPLE_RATE = 1000;
    /** Highest rate read: what audio hardware records (a header claiming 1 GHz made the resampler exhaust memory). */
    public static final int MAX_SAMPLE_RATE = 384_000;
    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_FLOAT = 3;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    private WavReader() {
    }

    public static PcmAudio read(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.getFileName().toString());
        }
    }

    /** Reads a WAV from a stream; {@code name} only appears in error messages. */
    public static PcmAudio read(InputStream stream, String name) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] riff = in.readNBytes(12);
        if (riff.length == 0) throw new UnsupportedWavException(name + " is empty, not a RIFF/WAVE file");
        if (riff.length < 12) {
            throw new UnsupportedWavException(name + " is not a RIFF/WAVE file: only " + riff.length + " bytes long");
        }
        if (!"RIFF".equals(ascii(riff, 0)) || !"WAVE".equals(ascii(riff, 8))) {
            throw new UnsupportedWavException(name + " is not a RIFF/WAVE file (starts with '" + printable(riff, 0)
                    + "', form type '" + printable(riff, 8) + "')");
        }
        Format format = null;
        while (true) {
            byte[] header = in.readNBytes(8);
            if (header.length < 8) throw new UnsupportedWavException(name + " has no data chunk");
            String id = ascii(header, 0);
            long size = ByteBuffer.wrap(header, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            if (id.equals("fmt ")) {
                int kept = (int) Math.min(size, 1 << 16);
                format = Format.parse(readBytes(in, kept, name, "fmt chunk"), name);
                skip(in, size - kept + (size & 1), name, "fmt chunk");
            } else if (id.equals("data")) {
                if (format == null) throw new UnsupportedWavException(name + ": data chunk before fmt chunk");
                // Streaming writers put 0 or 0xFFFFFFFF as the size: then the data runs to the end of the file.
                byte[] data = (size == 0 || size == 0xffffffffL) ? readUpTo(in, Long.MAX_VALUE, name)
                        : readUpTo(in, size, name);
                return format.decode(data);
            } else {
                skip(in, size + (size & 1), name, "'" + printable(header, 0) + "' chunk");
            }
        }
    }

    private record Format(int encoding, int channels, int sampleRate, int bitsPerSample) {
        static Format parse(byte[] b, String name) throws UnsupportedWavException {
            if (b.length < 16) throw new UnsupportedWavException(name + ": fmt chunk too short");
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            int encoding = bb.getShort(0) & 0xffff;
            int channels = bb.getShort(2) & 0xffff;
            int rate = bb.getInt(4);
            int bits = bb.getShort(14) & 0xffff;
            if (encoding == FORMAT_EXTENSIBLE && b.length >= 26) encoding = bb.getShort(24) & 0xffff;
            if (channels < 1) throw new UnsupportedWavException(name + ": no channels");
            if (rate < MIN_SAMPLE_RATE || rate > MAX_SAMPLE_RATE) {
                throw new UnsupportedWavException(name + ": sample rate " + Integer.toUnsignedString(rate)
                        + " Hz is out of range (" + MIN_SAMPLE_RATE + " to " + MAX_SAMPLE_RATE + " Hz are read)");
            }
            boolean ok = (encoding == FORMAT_PCM && (bits == 8 || bits == 16 || bits == 24 || bits == 32))
                    || (encoding == FORMAT_FLOAT && (bits == 32 || bits == 64));
            if (!ok) {
                throw new UnsupportedWavException(name + ": unsupported WAV encoding " + encoding
                        + encodingName(encoding)
                        + " with " + bits + " bits (integer PCM 8/16/24/32 or float 32/64 are read)");
            }
            return new Format(encoding, channels, rate, bits);
        }

        private static String encodingName(int encoding) {
            return switch (encoding) {
                case FORMAT_PCM -> " (integer PCM)";
                case 2 -> " (MS ADPCM)";
                case FORMAT_FLOAT -> " (IEEE float)";
                case 6 -> " (A-law)";
                case 7 -> " (mu-law)";
                case 0x11 -> " (IMA ADPCM)";
                case 0x55 -> " (MP3)";
                case FORMAT_EXTENSIBLE -> " (WAVE_FORMAT_EXTENSIBLE without its sub-format)";
                default -> "";
            };
        }

        PcmAudio decode(byte[] data) {
            int bytesPerSample = bitsPerSample / 8;
            int frameBytes = bytesPerSample * channels;
            int frames = data.length / frameBytes;
            ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            short[] out = new short[frames];
            for (int f = 0; f < frames; f++) {
                double sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum += sampleAt(bb, f * frameBytes + c * bytesPerSample);
                }
                out[f] = Pcm16.clip((float) (sum / channels * 32768.0));
            }
            return new PcmAudio(sampleRate, out);
        }

        /** One sample scaled to [-1, 1). */
        private double sampleAt(ByteBuffer bb, int pos) {
            if (encoding == FORMAT_FLOAT) {
                return bitsPerSample == 32 ? bb.getFloat(pos) : bb.getDouble(pos);
            }
            return switch (bitsPerSample) {
                case 8 -> ((bb.get(pos) & 0xff) - 128) / 128.0;
                case 16 -> bb.getShort(pos) / 32768.0;
                case 24 ->
                        ((bb.get(pos) & 0xff) | ((bb.get(pos + 1) & 0xff) << 8) | (bb.get(pos + 2) << 16)) / 8388608.0;
                default -> bb.getInt(pos) / 2147483648.0;
            };
        }
    }

    /** Reads exactly {@code n} bytes of the named part of the file. */
    private static byte[] readBytes(DataInputStream in, int n, String name, String what) throws IOException {
        byte[] b = new byte[n];
        try {
            in.readFully(b);
        } catch (EOFException e) {
            throw new UnsupportedWavException(name + " is truncated: the file ends inside the " + what);
        }
        return b;
    }

    /** Largest data chunk read into memory (a Java array holds at most about 2^31 bytes). */
    private static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 16;

    /**
     * Reads the declared size, or what is there when the file was cut short: a header may claim
     * more than the file holds (a truncated file, a streaming writer's placeholder), and only the
     * bytes actually present count against the in-memory limit.
     */
    private static byte[] readUpTo(InputStream in, long size, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(size, 1 << 20));
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) break;
            if (out.size() + (long) n > MAX_DATA_BYTES) {
                throw new UnsupportedWavException(name + ": WAV data chunk too large for memory (more than "
                        + MAX_DATA_BYTES + " bytes)");
            }
            out.write(buf, 0, n);
            left -= n;
        }
        return out.toByteArray();
    }

    private static void skip(InputStream in, long n, String name, String what) throws IOException {
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw new UnsupportedWavException(name + " is truncated: the file ends inside the " + what
                    + " before any data chunk");
        }
    }

    private static String ascii(byte[] b, int off) {
        return new String(b, off, 4, StandardCharsets.US_ASCII);
    }

    /** Four bytes for a message: printable ASCII kept, anything else shown as '?'. */
    private static String printable(byte[] b, int off) {
        StringBuilder sb = new StringBuilder(4);
        for (int i = off; i < off + 4; i++) sb.append(b[i] >= 0x20 && b[i] < 0x7f ? (char) b[i] : '?');
        return sb.toString();
    }
}
