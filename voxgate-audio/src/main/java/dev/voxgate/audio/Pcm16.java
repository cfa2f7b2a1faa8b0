package dev.voxgate.audio;

/** Conversions between signed 16-bit little-endian PCM bytes and samples. */
public final class Pcm16 {
    private Pcm16() {
    }

    public static short[] toSamples(byte[] pcm, int offset, int length) {
        if ((length & 1) != 0) throw new IllegalArgumentException("odd PCM16 byte count: " + length);
        short[] out = new short[length / 2];
        for (int i = 0, j = offset; i < out.length; i++, j += 2) {
            out[i] = (short) ((pcm[j] & 0xff) | (pcm[j + 1] << 8));
        }
        return out;
    }

    public static short[] toSamples(byte[] pcm) {
        return toSamples(pcm, 0, pcm.length);
    }

    public static byte[] toBytes(short[] samples, int offset, int count) {
        byte[] out = new byte[count * 2];
        for (int i = 0; i < count; i++) {
            short s = samples[offset + i];
            out[2 * i] = (byte) s;
            out[2 * i + 1] = (byte) (s >> 8);
        }
        return out;
    }

    public static byte[] toBytes(short[] samples) {
        return toBytes(samples, 0, samples.length);
    }

    /** Rounds and clips a float sample in the 16-bit range. */
    public static short clip(float v) {
        int r = Math.round(v);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
    }

    /** The sample arrays one after another, in a new array. */
    public static short[] concat(short[]... pieces) {
        int total = 0;
        for (short[] p : pieces) total += p.length;
        short[] out = new short[total];
        int at = 0;
        for (short[] p : pieces) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
