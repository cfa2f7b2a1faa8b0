package dev.voxgate.engine.whisper;

import dev.voxgate.api.Segment;
import dev.voxgate.testkit.SpeechCorpus;
import dev.voxgate.testkit.Utterance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three minutes of speech in one stream: recordings with short pauses, then 40 s of continuous
 * speech (recordings joined with no pause and their own pauses shortened, so the VAD never ends an
 * utterance and the 30 s limit must cut it), then recordings with pauses again.
 */
@Timeout(240)
class LongAudioIT {
    private static final int RATE = Speech.RATE;

    /** Where one recording sits in the long stream, in samples. */
    private record Placed(Utterance utterance, int start, int end) {
        double startSeconds() {
            return start / (double) RATE;
        }

        double endSeconds() {
            return end / (double) RATE;
        }
    }

    private record Gap(int start, int end) {
    }

    private final Random random = new Random(2024);
    private final List<Placed> placed = new ArrayList<>();
    private final List<Gap> gaps = new ArrayList<>();
    private short[] stream = new short[220 * RATE];
    private int pos;

    private void pause() {
        short[] pause = Speech.pause(0.8 + 0.8 * random.nextDouble(), random);
        System.arraycopy(pause, 0, stream, pos, pause.length);
        gaps.add(new Gap(pos, pos + pause.length));
        pos += pause.length;
    }

    private void place(Utterance u, short[] speech) {
        System.arraycopy(speech, 0, stream, pos, speech.length);
        placed.add(new Placed(u, pos, pos + speech.length));
        pos += speech.length;
    }

    @Test
    void threeMinutesWithFortySecondsWithoutAPauseComeBackInOrderInPiecesOfAtMostThirtySeconds() throws Exception {
        List<Utterance> all = SpeechCorpus.load().utterances();
        // Fluent read speech for the stretch: the CMU test voices pause inside their recordings.
        List<Utterance> fluent = all.stream().filter(u -> u.id().startsWith("lj-") || u.id().startsWith("vctk-")).toList();
        Iterator<Utterance> others = all.stream().filter(u -> !fluent.contains(u)).iterator();
        while (pos < 60 * RATE && others.hasNext()) {
            Utterance u = others.next();
            pause();
            place(u, Speech.trimmed(Speech.read(u)));
        }
        pause();
        int continuousStart = pos;
        for (Utterance u : fluent) {
            if (pos - continuousStart >= 40 * RATE) break;
            place(u, Speech.withoutPauses(Speech.trimmed(Speech.read(u)), 120));
        }
        int continuousEnd = pos;
        while (pos < 180 * RATE && others.hasNext()) {
            Utterance u = others.next();
            pause();
            place(u, Speech.trimmed(Speech.read(u)));
        }
        short[] pcm = Arrays.copyOf(stream, pos);
        assertThat(continuousEnd - continuousStart).as("a stretch without pauses").isGreaterThanOrEqualTo(40 * RATE);
        assertThat(pcm.length).isGreaterThanOrEqualTo(180 * RATE);
        double speechSeconds = placed.stream().mapToDouble(p -> p.endSeconds() - p.startSeconds()).sum();

        Speech.Run run = Speech.transcribe(Speech.engine(), pcm, 0.1);
        List<Segment> segments = run.finals().stream().filter(s -> !s.isEmpty()).toList();
        double covered = segments.stream().mapToDouble(s -> s.end() - s.start()).sum();
        double cs = continuousStart / (double) RATE, ce = continuousEnd / (double) RATE;
        System.out.printf(Locale.ROOT, "[whisper] long stream: %.1f s with %d recordings (%.1f s of speech, %.1f–%.1f s without a pause);"
                        + " %d finals covering %.1f s; RTF %.3f%n", pcm.length / (double) RATE, placed.size(), speechSeconds, cs, ce,
                segments.size(), covered, run.wallSeconds() / run.audioSeconds());
        segments.forEach(s -> System.out.printf(Locale.ROOT, "[whisper]   %6.2f–%6.2f %5.2f s  %s%n", s.start(), s.end(), s.end() - s.start(), s.text()));

        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            assertThat(s.end() - s.start()).as("segment %d", i).isLessThanOrEqualTo(30.0);
            if (i > 0) assertThat(s.start()).as("segment %d starts after the one before ends", i).isGreaterThanOrEqualTo(segments.get(i - 1).end());
        }
        boolean hardCut = false;
        for (int i = 0; i + 1 < segments.size(); i++) {
            Segment a = segments.get(i), b = segments.get(i + 1);
            if (a.start() >= cs - 0.5 && b.end() <= ce + 0.5 && a.end() == b.start() && a.end() - a.start() >= 25) hardCut = true;
        }
        assertThat(hardCut).as("the stretch without pauses was cut by the 30 s limit, with nothing lost between the pieces").isTrue();

        for (Placed p : placed) {
            String heard = segments.stream().filter(s -> s.end() > p.startSeconds() && s.start() < p.endSeconds())
                    .map(Segment::text).collect(Collectors.joining(" "));
            assertThat(Speech.recall(p.utterance().reference(), heard))
                    .as("words of %s at %.1f s in '%s'", p.utterance().id(), p.startSeconds(), heard).isGreaterThanOrEqualTo(0.7);
        }
        String reference = placed.stream().map(p -> p.utterance().reference()).collect(Collectors.joining(" "));
        Utterance whole = new Utterance("all", null, pcm.length / (double) RATE, reference);
        double wer = Speech.normalizedWer(List.of(whole), Map.of("all", run.text()));
        System.out.printf(Locale.ROOT, "[whisper] long stream WER %.2f%% normalised%n", 100 * wer);
        assertThat(wer).isLessThanOrEqualTo(0.06);

        assertThat(covered / speechSeconds).as("time covered by finals / time of speech").isBetween(0.9, 1.15);
        for (Gap g : gaps) {
            double gs = g.start() / (double) RATE, ge = g.end() / (double) RATE;
            double inside = segments.stream().mapToDouble(s -> Math.max(0, Math.min(s.end(), ge) - Math.max(s.start(), gs))).sum();
            assertThat(inside).as("finals inside the pause %.2f–%.2f s", gs, ge).isLessThanOrEqualTo(0.5);
        }
    }
}
