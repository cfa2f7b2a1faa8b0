package dev.voxgate.server.files;

import com.sun.management.OperatingSystemMXBean;
import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.Segment;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.api.Word;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.transcribe.OfflineTranscriber;
import dev.voxgate.audio.transcribe.Transcript;
import dev.voxgate.audio.transcribe.WordAligner;
import dev.voxgate.audio.transcribe.WordTimedEngine;
import dev.voxgate.engine.whisper.WhisperEngineProvider;
import dev.voxgate.server.Speech;
import dev.voxgate.server.TestEngines;
import dev.voxgate.testkit.SpeechCorpus;
import dev.voxgate.testkit.Utterance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whisper's words timed by Vosk ({@link WordTimedEngine}) against Vosk's own word times, from a
 * separate Vosk run over the same audio, on the words both engines recognise (matched in order by
 * their bare forms over the whole recording): the dev set clip by clip, and its first clips joined
 * into one recording of several Whisper segments. The words both recognise take Vosk's times by construction,
 * so that figure checks the alignment picks the right Vosk word; the error of the words only Whisper heard is
 * estimated by timing each matched word again without its Vosk word. Also prints the CPU cost of the word times: the
 * process's CPU time for the dev set through Whisper alone and through Whisper with word times
 * (printed, never asserted).
 */
@Timeout(1800)
class WordTimesAgreementIT {
    private static final int JOINED_CLIPS = 8;
    private static final double GAP_SECONDS = 0.8;
    /** As {@code WordTimedEngine.SLACK_SECONDS}: the Vosk words a segment is aligned with. */
    private static final double WORD_SLACK = 0.5;
    private static StreamingEngine whisper;

    @BeforeAll
    static void load() throws EngineException {
        whisper = (StreamingEngine) new WhisperEngineProvider().create(new EngineContext(Map.of(),
                TestEngines.cacheDir()));
    }

    @AfterAll
    static void close() {
        if (whisper != null) whisper.close();
    }

    /** Process CPU seconds, all threads (the ONNX runtime decodes on threads of its own). */
    private static double cpuSeconds() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static List<Word> words(Transcript t) {
        return t.segments().stream().flatMap(s -> s.words().stream()).toList();
    }

    private static int tokens(Transcript t) {
        return t.segments().stream().mapToInt(s -> s.text().isBlank() ? 0 : s.text().split("\\s+").length).sum();
    }

    /** |start difference| of the word pairs both engines recognise, matched in order (longest common subsequence). */
    private static List<Double> differences(List<Word> timed, List<Word> vosk) {
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
    private static List<Double> leaveOneOut(Transcript t, List<Word> vosk) {
        List<Double> out = new ArrayList<>();
        for (Segment s : t.segments()) {
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

    @Test
    void whispersWordTimesAgreeWithVosksOwnOnTheWordsBothRecognise() throws EngineException {
        StreamingEngine vosk = TestEngines.vosk();
        StreamingEngine timed = new WordTimedEngine(whisper, vosk);
        List<PcmAudio> audio = new ArrayList<>();
        for (Utterance u : Speech.corpus().utterances()) audio.add(Speech.audio(u));
        List<Utterance> first = Speech.corpus().first(JOINED_CLIPS);
        PcmAudio joined = SpeechCorpus.joined(first, GAP_SECONDS);
        new OfflineTranscriber(whisper).transcribe(audio.get(0), "en"); // warm-up, outside the CPU figures

        double cpu0 = cpuSeconds();
        for (PcmAudio a : audio) new OfflineTranscriber(whisper).transcribe(a, "en");
        double whisperCpu = cpuSeconds() - cpu0;
        List<Transcript> withTimes = new ArrayList<>();
        cpu0 = cpuSeconds();
        for (PcmAudio a : audio) withTimes.add(new OfflineTranscriber(timed).transcribe(a, "en"));
        double timedCpu = cpuSeconds() - cpu0;
        withTimes.add(new OfflineTranscriber(timed).transcribe(joined, "en"));
        audio.add(joined);

        List<Double> diffs = new ArrayList<>();
        List<Double> unheard = new ArrayList<>();
        int whisperWords = 0;
        int timedWords = 0;
        int joinedSegments = withTimes.get(withTimes.size() - 1).segments().size();
        for (int i = 0; i < audio.size(); i++) {
            Transcript t = withTimes.get(i);
            whisperWords += tokens(t);
            timedWords += words(t).size();
            for (Segment s : t.segments()) {
                for (Word w : s.words()) {
                    assertThat(w.start()).isBetween(s.start(), s.end());
                    assertThat(w.end()).isBetween(s.start(), s.end());
                }
            }
            List<Word> voskOwn = words(new OfflineTranscriber(vosk).transcribe(audio.get(i), "en"));
            diffs.addAll(differences(words(t), voskOwn));
            unheard.addAll(leaveOneOut(t, voskOwn));
        }
        double[] d = diffs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = quantile(d, 0.5);
        double p90 = quantile(d, 0.9);
        double within = Arrays.stream(d).filter(x -> x <= 0.3).count() / (double) d.length;
        System.out.printf(Locale.ROOT, "[word-times] %s: %d Whisper words, %.1f%% timed; %d words both recognise: "
                + "|start difference| median %.3f s, p90 %.3f s, %.1f%% within 0.3 s (joined %d clips: %d segments)%n",
                Speech.corpus().source(), whisperWords, 100.0 * timedWords / whisperWords, d.length, median, p90,
                100 * within, first.size(), joinedSegments);
        double[] u = unheard.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double uMedian = quantile(u, 0.5);
        double uWithin = Arrays.stream(u).filter(x -> x <= 0.3).count() / (double) u.length;
        System.out.printf(Locale.ROOT, "[word-times] %d words timed without their Vosk word (as an unheard word is):"
                + " |start difference| median %.3f s, p90 %.3f s, %.1f%% within 0.3 s%n", u.length, uMedian,
                quantile(u, 0.9), 100 * uWithin);
        System.out.printf(Locale.ROOT, "[word-times] CPU for %d clips: Whisper alone %.1f s, with word times %.1f s"
                + " (%.2fx)%n", audio.size() - 1, whisperCpu, timedCpu, timedCpu / whisperCpu);

        assertThat(d.length).as("words both engines recognise").isGreaterThan(whisperWords / 2);
        assertThat((double) timedWords / whisperWords).as("Whisper words with times").isGreaterThanOrEqualTo(0.9);
        assertThat(median).isLessThanOrEqualTo(0.1);
        assertThat(within).isGreaterThanOrEqualTo(0.8);
        assertThat(uMedian).as("words Vosk did not hear").isLessThanOrEqualTo(0.15);
        assertThat(uWithin).as("words Vosk did not hear").isGreaterThanOrEqualTo(0.7);
    }
}
