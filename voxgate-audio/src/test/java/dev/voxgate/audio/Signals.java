package dev.voxgate.audio;

import java.util.Arrays;

/** Test signals and measurements on 16-bit audio. */
final class Signals {
    private Signals() {
    }

    /** {@code amplitude · sin(2π f t)} sampled at {@code rate}, rounded to 16 bits. */
    static short[] sine(double frequency, int rate, int length, double amplitude) {
        short[] s = new short[length];
        for (int i = 0; i < length; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * frequency * i / rate));
        }
        return s;
    }

    static short[] constant(short value, int length) {
        short[] s = new short[length];
        Arrays.fill(s, value);
        return s;
    }

    /** Square wave of the given frequency swinging between {@code high} and {@code low}, starting high. */
    static short[] square(double frequency, int rate, int length, short high, short low) {
        short[] s = new short[length];
        for (int i = 0; i < length; i++) s[i] = isHighHalf(frequency, rate, i) ? high : low;
        return s;
    }

    /** Whether sample {@code i} at {@code rate} falls in the high half-period of a square wave starting high at 0. */
    static boolean isHighHalf(double frequency, double rate, double i) {
        double cycles = frequency * i / rate;
        return cycles - Math.floor(cycles) < 0.5;
    }

    /** Distance of sample {@code i} (in samples) to the nearest edge of such a square wave. */
    static double distanceToEdge(double frequency, double rate, double i) {
        double halfPeriods = 2 * frequency * i / rate;
        double frac = halfPeriods - Math.floor(halfPeriods);
        return Math.min(frac, 1 - frac) * rate / (2 * frequency);
    }

    /**
     * Least-squares fit of {@code a·sin(ωn) + b·cos(ωn) + c} over {@code x[from, to)}: returns
     * {amplitude, phase (radians, of a sine), rms of the residual}. Exact for a pure tone of that
     * frequency whatever the window, unlike a DFT bin over a non-integer number of periods.
     */
    static double[] fitSine(short[] x, int from, int to, double frequency, double rate) {
        double w = 2 * Math.PI * frequency / rate;
        // Normal equations for the 3 unknowns [a, b, c].
        double[][] m = new double[3][4];
        for (int n = from; n < to; n++) {
            double[] basis = {Math.sin(w * n), Math.cos(w * n), 1};
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) m[r][c] += basis[r] * basis[c];
                m[r][3] += basis[r] * x[n];
            }
        }
        double[] sol = solve3(m);
        double residual = 0;
        for (int n = from; n < to; n++) {
            double e = x[n] - (sol[0] * Math.sin(w * n) + sol[1] * Math.cos(w * n) + sol[2]);
            residual += e * e;
        }
        return new double[] {Math.hypot(sol[0], sol[1]), Math.atan2(sol[1], sol[0]), Math.sqrt(residual / (to - from))};
    }

    private static double[] solve3(double[][] m) {
        for (int col = 0; col < 3; col++) {
            int pivot = col;
            for (int r = col + 1; r < 3; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            for (int r = 0; r < 3; r++) {
                if (r == col) continue;
                double f = m[r][col] / m[col][col];
                for (int c = col; c < 4; c++) m[r][c] -= f * m[col][c];
            }
        }
        return new double[] {m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2]};
    }

    /** Largest absolute sample in {@code x[from, to)}. */
    static int peak(short[] x, int from, int to) {
        int p = 0;
        for (int i = from; i < to; i++) p = Math.max(p, Math.abs(x[i]));
        return p;
    }

    static double rms(short[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) sum += (double) x[i] * x[i];
        return Math.sqrt(sum / (to - from));
    }

    static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }
}
