package dev.voxgate.audio;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streaming band-limited sample-rate converter (Kaiser-windowed sinc, polyphase).
 *
 * <p>The ratio is reduced to {@code up/down}; output sample {@code n} sits at input time
 * {@code n·down/up}, and is interpolated from the input around it with a low-pass filter whose
 * cutoff is the lower of the two Nyquist frequencies, so downsampling does not alias. Filter
 * tables are computed once per rate pair and shared through a cache of bounded size (rates come
 * from clients, so the cache must not grow with every odd rate seen). Instances are stateful (one
 * per stream) and not thread-safe.
 */
public final class Resampler {
    /** Zero crossings on each side of the sinc at full band; about 90 dB stop-band with the window below. */
    private static final int ZERO_CROSSINGS = 16;
    private static final double KAISER_BETA = 8.6;
    /** Pass band kept below the Nyquist frequency, leaving room for the transition band. */
    private static final double ROLLOFF = 0.92;
    /** Most filter coefficients kept in the shared cache (32 MB of floats); least recently used go first. */
    static final long CACHE_BUDGET_FLOATS = 8L << 20;
    /** Tables bigger than this (odd, coprime rate pairs) are built per instance and never cached. */
    private static final long CACHE_MAX_TABLE_FLOATS = CACHE_BUDGET_FLOATS / 4;
    /**
     * Largest table one converter builds (128 MB of floats). Pairs of audio rates stay far below it (768 kHz to 16 kHz
     * at worst about 25 M); a rate that is not one of audio (a broken file's header) would otherwise exhaust memory.
     */
    static final long MAX_TABLE_FLOATS = 32L << 20;
    /** Guarded by itself; access order, for LRU eviction. */
    private static final LinkedHashMap<Long, Table> TABLES = new LinkedHashMap<>(16, 0.75f, true);
    private static long cachedFloats;

    private final int up;
    private final int down;
    private final Table table;
    /** Unconsumed input, as floats; {@code buf[0]} is input sample {@code bufStart}. */
    private float[] buf;
    private int bufLen;
    /** Input index (relative to buf) and phase of the next output sample. */
    private long nextIndex;
    private int nextPhase;

    /**
     * @throws IllegalArgumentException if a rate is not positive, or the pair needs a filter table larger than
     *                                  {@link #MAX_TABLE_FLOATS} (rates no audio has, e.g. 1 GHz)
     */
    public Resampler(int inputRate, int outputRate) {
        if (inputRate <= 0 || outputRate <= 0) throw new IllegalArgumentException("rates must be positive");
        int g = gcd(inputRate, outputRate);
        this.up = outputRate / g;
        this.down = inputRate / g;
        double floats = Table.floats(up, down);
        if (floats > MAX_TABLE_FLOATS) {
            throw new IllegalArgumentException("converting " + inputRate + " Hz to " + outputRate + " Hz would need a "
                    + "filter of " + (long) floats + " coefficients (at most " + MAX_TABLE_FLOATS
                    + "): not audio rates");
        }
        this.table = table(up, down);
        // History of zeros so the first output sample is centred on the first input sample.
        this.buf = new float[Math.max(4096, 2 * table.halfWidth + 1024)];
        this.bufLen = table.halfWidth;
        this.nextIndex = table.halfWidth;
    }

    /** One-shot conversion of a whole signal, including its tail. */
    public static short[] resampleAll(short[] input, int inputRate, int outputRate) {
        if (inputRate == outputRate) return input.clone();
        Resampler r = new Resampler(inputRate, outputRate);
        short[] a = r.process(input, 0, input.length);
        short[] b = r.flush();
        long expected = (long) Math.ceil(input.length * (double) outputRate / inputRate);
        short[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out.length > expected ? Arrays.copyOf(out, (int) expected) : out;
    }

    /** Converts the next part of the stream; returns as many output samples as the input allows so far. */
    public short[] process(short[] input, int offset, int count) {
        ensureCapacity(count);
        for (int i = 0; i < count; i++) buf[bufLen + i] = input[offset + i];
        bufLen += count;
        return drain();
    }

    /**
     * Ends the stream: emits the output that needs input past the end (treated as silence). The resampler is spent
     * afterwards.
     */
    public short[] flush() {
        ensureCapacity(table.halfWidth);
        Arrays.fill(buf, bufLen, bufLen + table.halfWidth, 0f);
        bufLen += table.halfWidth;
        return drain();
    }

    private short[] drain() {
        int half = table.halfWidth;
        int taps = table.taps;
        // Output n is computable while its window [index-half+1, index+half] lies inside the buffer.
        long available = bufLen - half - nextIndex;
        int n = available <= 0 ? 0
                : (int) Math.min(Integer.MAX_VALUE - 8, ((available * up) - nextPhase + up - 1) / down + 1);
        short[] out = new short[Math.max(0, n)];
        int produced = 0;
        long index = nextIndex;
        int phase = nextPhase;
        while (index + half < bufLen) {
            float[] coeffs = table.phases[phase];
            int start = (int) (index - half + 1);
            double acc = 0;
            for (int k = 0; k < taps; k++) acc += coeffs[k] * buf[start + k];
            if (produced == out.length) out = Arrays.copyOf(out, out.length + 16);
            out[produced++] = Pcm16.clip((float) acc);
            phase += down;
            index += phase / up;
            phase %= up;
        }
        nextIndex = index;
        nextPhase = phase;
        compact();
        return produced == out.length ? out : Arrays.copyOf(out, produced);
    }

    /** Drops input that no future output needs. */
    private void compact() {
        int keepFrom = (int) Math.max(0, nextIndex - table.halfWidth + 1);
        if (keepFrom == 0) return;
        int keep = bufLen - keepFrom;
        if (keep > 0) System.arraycopy(buf, keepFrom, buf, 0, keep);
        bufLen = Math.max(0, keep);
        nextIndex -= keepFrom;
    }

    private void ensureCapacity(int extra) {
        if (bufLen + extra > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, bufLen + extra));
    }

    /** The shared table of a rate pair, built on first use; tables too large to share are not cached. */
    private static Table table(int up, int down) {
        Long key = ((long) up << 32) | down;
        synchronized (TABLES) {
            Table cached = TABLES.get(key);
            if (cached != null) return cached;
        }
        Table built = new Table(up, down); // outside the lock: a big table takes a while to build
        long size = built.floats();
        if (size > CACHE_MAX_TABLE_FLOATS) return built;
        synchronized (TABLES) {
            Table raced = TABLES.putIfAbsent(key, built);
            if (raced != null) return raced;
            cachedFloats += size;
            Iterator<Map.Entry<Long, Table>> eldest = TABLES.entrySet().iterator();
            while (cachedFloats > CACHE_BUDGET_FLOATS && eldest.hasNext()) {
                Map.Entry<Long, Table> e = eldest.next();
                if (e.getKey().equals(key)) continue;
                cachedFloats -= e.getValue().floats();
                eldest.remove();
            }
        }
        return built;
    }

    /** Coefficients currently held by the shared table cache (for tests). */
    static long cachedTableFloats() {
        synchronized (TABLES) {
            return cachedFloats;
        }
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Polyphase filter bank: one set of taps per output phase. */
    private static final class Table {
        final int halfWidth;
        final int taps;
        final float[][] phases;

        Table(int up, int down) {
            double cutoff = cutoff(up, down);
            this.halfWidth = (int) halfWidth(cutoff);
            this.taps = 2 * halfWidth;
            this.phases = new float[up][taps];
            double i0Beta = besselI0(KAISER_BETA);
            double[] row = new double[taps];
            for (int p = 0; p < up; p++) {
                double frac = p / (double) up; // output time = index + frac
                double sum = 0;
                for (int k = 0; k < taps; k++) {
                    double x = (k - halfWidth + 1) - frac; // input offset from the output time
                    double w = x / halfWidth;
                    double window = Math.abs(w) >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - w * w)) / i0Beta;
                    row[k] = cutoff * sinc(cutoff * x) * window;
                    sum += row[k];
                }
                // The truncated, windowed sinc sums to 1 only approximately, and differently for each
                // phase: normalise so every phase has unit gain at DC (no gain ripple between phases).
                for (int k = 0; k < taps; k++) phases[p][k] = (float) (row[k] / sum);
            }
        }

        long floats() {
            return (long) phases.length * taps;
        }

        /** The size of the table for {@code up/down}, computed before building it (as a double: it may be huge). */
        static double floats(int up, int down) {
            return up * 2 * halfWidth(cutoff(up, down));
        }

        /** Relative to the input Nyquist frequency. */
        private static double cutoff(int up, int down) {
            return Math.min(1.0, up / (double) down) * ROLLOFF;
        }

        private static double halfWidth(double cutoff) {
            return Math.ceil(ZERO_CROSSINGS / cutoff);
        }

        private static double sinc(double x) {
            if (Math.abs(x) < 1e-12) return 1.0;
            return Math.sin(Math.PI * x) / (Math.PI * x);
        }

        private static double besselI0(double x) {
            double sum = 1, term = 1, q = x * x / 4;
            for (int k = 1; k < 64; k++) {
                term *= q / ((double) k * k);
                sum += term;
                if (term < 1e-12 * sum) break;
            }
            return sum;
        }
    }
}
