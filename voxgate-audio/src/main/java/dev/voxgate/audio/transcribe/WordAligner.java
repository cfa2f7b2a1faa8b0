package dev.voxgate.audio.transcribe;

import dev.voxgate.api.Word;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Gives the words of one engine's text the times of another engine's words over the same audio:
 * the written words and the timed words are matched in order (the longest common subsequence of
 * their bare forms), a matched word takes its partner's start, end and confidence, and the words
 * between two matches share the time between them in proportion to their length (taking the span
 * of the timed words there that matched nothing, when there are some). Every time is kept within
 * the segment's bounds and never goes back, so the words are monotonic.
 *
 * <p>When fewer than {@value #MIN_MATCHED_SHARE} of the written words match there are no word times
 * at all (an empty list): the two engines heard different things, and times on the wrong words
 * would mislead a caption renderer more than none. Words that match nothing take confidence 1.0,
 * as for an engine that does not score words. Pure and thread-safe.
 */
public final class WordAligner {
    /** Share of the written words that must match a timed word for the times to be trusted. */
    public static final double MIN_MATCHED_SHARE = 0.5;
    /** A word with no timed word near it gets at most this much time per character, at an edge of the segment. */
    private static final double MAX_SECONDS_PER_CHAR = 0.08;

    private WordAligner() {
    }

    /**
     * @param text  the written words, separated by white space
     * @param start the segment's start, in seconds
     * @param end   the segment's end, in seconds
     * @param timed the timing engine's words, in order (words outside the segment are allowed and are
     *              matched too, but no time leaves the segment)
     * @return one word per written word, or empty when the two do not agree well enough
     */
    public static List<Word> align(String text, double start, double end, List<Word> timed) {
        String[] tokens = text.isBlank() ? new String[0] : text.strip().split("\\s+");
        if (tokens.length == 0 || timed.isEmpty() || end < start) return List.of();
        int[] partner = match(tokens, timed);
        int matched = 0;
        for (int p : partner) if (p >= 0) matched++;
        if (matched < MIN_MATCHED_SHARE * tokens.length) return List.of();

        double[] from = new double[tokens.length];
        double[] to = new double[tokens.length];
        double[] confidence = new double[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            confidence[i] = 1.0;
            if (partner[i] >= 0) {
                Word w = timed.get(partner[i]);
                from[i] = clamp(w.start(), start, end);
                to[i] = clamp(w.end(), start, end);
                confidence[i] = w.confidence();
            }
        }
        for (int i = 0; i < tokens.length; ) {
            if (partner[i] >= 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < tokens.length && partner[j] < 0) j++;
            fillGap(tokens, partner, timed, i, j, start, end, from, to);
            i = j;
        }
        List<Word> words = new ArrayList<>(tokens.length);
        double floor = start;
        for (int i = 0; i < tokens.length; i++) {
            double s = Math.max(floor, from[i]);
            double e = Math.max(s, to[i]);
            words.add(new Word(tokens[i], s, e, confidence[i]));
            floor = e;
        }
        return words;
    }

    /** Lower case letters, digits and inner apostrophes only: "Country," and "country" agree. */
    public static String bare(String word) {
        StringBuilder sb = new StringBuilder(word.length());
        word.toLowerCase(Locale.ROOT).codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp) || cp == '\'') sb.appendCodePoint(cp);
        });
        return sb.toString().replaceAll("^'+|'+$", "");
    }

    /** For each token, the index of its timed partner in a longest common subsequence, or -1. */
    private static int[] match(String[] tokens, List<Word> timed) {
        int n = tokens.length;
        int m = timed.size();
        String[] a = new String[n];
        String[] b = new String[m];
        for (int i = 0; i < n; i++) a[i] = bare(tokens[i]);
        for (int j = 0; j < m; j++) b[j] = bare(timed.get(j).word());
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = !a[i].isEmpty() && a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int[] partner = new int[n];
        int i = 0;
        int j = 0;
        while (i < n && j < m) {
            if (!a[i].isEmpty() && a[i].equals(b[j]) && lcs[i][j] == lcs[i + 1][j + 1] + 1) {
                partner[i++] = j++;
            } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
                partner[i++] = -1;
            } else {
                j++;
            }
        }
        while (i < n) partner[i++] = -1;
        return partner;
    }

    /** Times tokens {@code [i, j)}, none matched, from their matched neighbours or the segment's edges. */
    private static void fillGap(String[] tokens, int[] partner, List<Word> timed, int i, int j, double start,
            double end, double[] from, double[] to) {
        boolean leftEdge = i == 0;
        boolean rightEdge = j == tokens.length;
        double lo = leftEdge ? start : to[i - 1];
        double hi = rightEdge ? end : from[j];
        // The timed words between the neighbours' partners heard something there: use their span.
        int firstTimed = leftEdge ? 0 : partner[i - 1] + 1;
        int lastTimed = rightEdge ? timed.size() - 1 : partner[j] - 1;
        double spanLo = Double.NaN;
        double spanHi = Double.NaN;
        for (int k = firstTimed; k <= lastTimed; k++) {
            Word w = timed.get(k);
            if (w.end() <= lo || w.start() >= hi) continue;
            if (Double.isNaN(spanLo)) spanLo = w.start();
            spanHi = w.end();
        }
        int chars = 0;
        for (int k = i; k < j; k++) chars += Math.max(1, bare(tokens[k]).length());
        if (!Double.isNaN(spanLo)) {
            lo = Math.max(lo, spanLo);
            hi = Math.min(hi, spanHi);
        } else if (leftEdge != rightEdge) {
            // Only one neighbour: keep the words next to it rather than spread over the silence up to the edge.
            double most = chars * MAX_SECONDS_PER_CHAR;
            if (leftEdge) lo = Math.max(lo, hi - most);
            else hi = Math.min(hi, lo + most);
        }
        lo = clamp(lo, start, end);
        hi = clamp(Math.max(lo, hi), start, end);
        double perChar = (hi - lo) / chars;
        double t = lo;
        for (int k = i; k < j; k++) {
            from[k] = t;
            t += perChar * Math.max(1, bare(tokens[k]).length());
            to[k] = Math.min(hi, t);
        }
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
