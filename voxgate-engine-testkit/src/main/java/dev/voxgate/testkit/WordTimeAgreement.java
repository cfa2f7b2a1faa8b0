package dev.voxgate.testkit;

import dev.voxgate.api.Segment;
import dev.voxgate.api.Word;
import dev.voxgate.audio.transcribe.WordAligner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How well words timed by alignment (Whisper's text on Vosk's word times) agree with Vosk's own
 * word times over the same audio: the figures of docs/whisper-file-path.md's word-time section,
 * shared by its test and the benchmark.
 */
public final class WordTimeAgreement {
    /** As {@code WordTimedEngine.SLACK_SECONDS}: the Vosk words a segment is aligned with. */
    private static final double WORD_SLACK = 0.5;

    private WordTimeAgreement() {
    }

    /** Median, 90th percentile and share within 0.3 s of |start differences|, in seconds. */
    public record Summary(int count, double median, double p90, double within300ms) {
        public static Summary of(List<Double> differences) {
            double[] d = differences.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (d.length == 0) return new Summary(0, Double.NaN, Double.NaN, Double.NaN);
            return new Summary(d.length, quantile(d, 0.5), quantile(d, 0.9),
                    Arrays.stream(d).filter(x -> x <= 0.3).count() / (double) d.length);
        }
    }

    public static List<Word> words(List<Segment> segments) {
        return segments.stream().flatMap(s -> s.words().stream()).toList();
    }

    /** |start difference| of the word pairs both engines recognise, matched in order (longest common subsequence). */
    public static List<Double> differences(List<Word> timed, List<Word> vosk) {
        int n = timed.size();
        int m = vosk.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = same(timed.get(i), vosk.get(j)) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Double> out = new ArrayList<>();
        for (int i = 0, j = 0; i < n && j < m; ) {
            if (same(timed.get(i), vosk.get(j)) && lcs[i][j] == lcs[i + 1][j + 1] + 1) {
                out.add(Math.abs(timed.get(i++).start() - vosk.get(j++).start()));
            } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
                i++;
            } else {
                j++;
            }
        }
        return out;
    }

    /**
     * The error of the words Vosk did not hear, estimated: each Whisper word that took a Vosk word's time is
     * timed again without that Vosk word (so it falls between its neighbours, as an unheard word does) and
     * compared with it. Not circular, unlike the words both recognise, which take Vosk's times.
     */
    public static List<Double> leaveOneOut(List<Segment> segments, List<Word> vosk) {
        List<Double> out = new ArrayList<>();
        for (Segment s : segments) {
            if (s.words().isEmpty()) continue;
            List<Word> near = vosk.stream().filter(w -> w.end() > s.start() - WORD_SLACK
                    && w.start() < s.end() + WORD_SLACK).toList();
            for (int k = 0; k < near.size(); k++) {
                Word left = near.get(k);
                int i = indexOf(s.words(), left);
                if (i < 0) continue;
                List<Word> without = new ArrayList<>(near);
                without.remove(k);
                List<Word> again = WordAligner.align(s.text(), s.start(), s.end(), without);
                if (again.size() == s.words().size()) out.add(Math.abs(again.get(i).start() - left.start()));
            }
        }
        return out;
    }

    /** The Whisper word that took this Vosk word's time, or -1. */
    private static int indexOf(List<Word> words, Word vosk) {
        for (int i = 0; i < words.size(); i++) {
            if (same(words.get(i), vosk) && words.get(i).start() == vosk.start()) return i;
        }
        return -1;
    }

    private static boolean same(Word a, Word b) {
        String x = WordAligner.bare(a.word());
        return !x.isEmpty() && x.equals(WordAligner.bare(b.word()));
    }

    private static double quantile(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }
}
