package dev.voxgate.bench.load;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Nearest-rank percentiles of finite values. */
public record Percentiles(int count, double p50, double p95, double p99, double max) {

    public static <T> Percentiles of(List<T> items, ToDoubleFunction<T> value) {
        double[] v = items.stream().mapToDouble(value).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        return new Percentiles(v.length, rank(v, 50), rank(v, 95), rank(v, 99), v[v.length - 1]);
    }

    private static double rank(double[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    @Override
    public String toString() {
        return count == 0 ? "n/a" : String.format(Locale.ROOT, "p50 %.0f / p95 %.0f / p99 %.0f ms", p50, p95, p99);
    }

    static double[] values(double... v) {
        return Arrays.copyOf(v, v.length);
    }
}
