package dev.voxgate.audio.ffmpeg;

/**
 * How closely decoded audio follows the original: the normalised cross-correlation at the lag
 * that aligns them best (a codec's delay), 1.0 for identical waveforms up to a gain, about 0 for
 * unrelated audio (silence, noise, another rate, byte-swapped samples).
 */
record Similarity(int lag, double correlation) {

    /**
     * @param maxLag largest shift, in samples, tried either way; the lag is searched on a window
     *               of up to 3 s from the middle, then the correlation is taken over the whole overlap
     */
    static Similarity of(short[] reference, short[] decoded, int maxLag) {
        int window = Math.min(3 * 16_000, reference.length - 2 * maxLag);
        int from = Math.max(maxLag, (reference.length - window) / 2);
        int best = 0;
        double bestC = Double.NEGATIVE_INFINITY;
        for (int lag = -maxLag; lag <= maxLag; lag++) {
            double c = correlation(reference, decoded, lag, from, from + window);
            if (c > bestC) {
                bestC = c;
                best = lag;
            }
        }
        return new Similarity(best, correlation(reference, decoded, best, 0, reference.length));
    }

    /** Correlation of reference[i] with decoded[i + lag] for i in [from, to), where both exist. */
    static double correlation(short[] reference, short[] decoded, int lag, int from, int to) {
        double ab = 0, aa = 0, bb = 0;
        int start = Math.max(from, -lag), end = Math.min(to, Math.min(reference.length, decoded.length - lag));
        for (int i = start; i < end; i++) {
            double a = reference[i], b = decoded[i + lag];
            ab += a * b;
            aa += a * a;
            bb += b * b;
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }
}
