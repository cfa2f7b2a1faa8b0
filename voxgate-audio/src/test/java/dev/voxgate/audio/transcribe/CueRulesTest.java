package dev.voxgate.audio.transcribe;

import dev.voxgate.api.Segment;
import dev.voxgate.api.Word;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static dev.voxgate.audio.transcribe.TranscriptTest.seg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class CueRulesTest {

    /** Words of {@code text}, each 0.3 s long, 0.1 s apart, from {@code start}. */
    private static Segment timed(String text, double start) {
        List<Word> words = new ArrayList<>();
        double t = start;
        for (String w : text.split(" ")) {
            words.add(new Word(w, t, t + 0.3, 1));
            t += 0.4;
        }
        return new Segment(text, start, t, words);
    }

    private static List<CueRules.Cue> cues(CueRules rules, Segment... segments) {
        return rules.cues(new Transcript(List.of(segments), 100));
    }

    private static void assertReadable(List<CueRules.Cue> cues, CueRules rules) {
        for (CueRules.Cue c : cues) {
            assertThat(c.lines()).hasSizeLessThanOrEqualTo(rules.maxLines());
            assertThat(c.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(rules.maxLineChars()));
            assertThat(c.end() - c.start()).isLessThanOrEqualTo(rules.maxCueSeconds());
        }
    }

    @Test
    void aLongSegmentIsCutIntoCuesThatFitTheRules() {
        Segment s = timed("we choose to go to the moon in this decade and do the other things not because they are"
                + " easy but because they are hard because that goal will serve to organize and measure the best of"
                + " our energies and skills", 0);
        List<CueRules.Cue> cues = cues(CueRules.DEFAULT, s);
        assertThat(cues.size()).isGreaterThan(2);
        assertReadable(cues, CueRules.DEFAULT);
        assertThat(String.join(" ", cues.stream().map(c -> c.text().replace('\n', ' ')).toList())).isEqualTo(s.text());
        assertThat(cues.get(0).start()).isEqualTo(0);
        for (int i = 1; i < cues.size(); i++) {
            assertThat(cues.get(i).start()).isGreaterThanOrEqualTo(cues.get(i - 1).end());
        }
    }

    @Test
    void aCueEndsAtASentenceEnd() {
        List<CueRules.Cue> cues = cues(CueRules.DEFAULT, timed("This is the first sentence. And here is another.", 0));
        assertThat(cues).extracting(CueRules.Cue::text)
                .containsExactly("This is the first sentence.", "And here is another.");
    }

    @Test
    void aCueEndsAtAPause() {
        List<Word> words = List.of(new Word("first", 0, 0.4, 1), new Word("part", 0.5, 0.8, 1),
                new Word("here", 0.9, 1.2, 1), new Word("then", 2.5, 2.8, 1), new Word("more", 2.9, 3.2, 1));
        List<CueRules.Cue> cues = cues(CueRules.DEFAULT, new Segment("first part here then more", 0, 3.2, words));
        assertThat(cues).extracting(CueRules.Cue::text).containsExactly("first part here", "then more");
        assertThat(cues.get(0).end()).isEqualTo(1.2);
        assertThat(cues.get(1).start()).isEqualTo(2.5);
    }

    @Test
    void linesAreBalancedWithinACue() {
        CueRules rules = new CueRules(20, 2, 7);
        List<String> lines = rules.lines(List.of("one", "two", "three", "four", "five", "six"));
        assertThat(lines).containsExactly("one two three", "four five six");
    }

    @Test
    void maxCueSecondsCutsSlowSpeech() {
        CueRules rules = new CueRules(42, 2, 1.0);
        List<CueRules.Cue> cues = cues(rules, timed("a b c d e f", 0));
        assertReadable(cues, rules);
        assertThat(cues).hasSize(3);
    }

    @Test
    void aSegmentWithoutWordTimesIsSpreadOverItsTime() {
        List<CueRules.Cue> cues = cues(CueRules.DEFAULT, seg("hello there", 0.5, 1.75));
        assertThat(cues).hasSize(1);
        assertThat(cues.get(0).start()).isEqualTo(0.5);
        assertThat(cues.get(0).end()).isEqualTo(1.75);
    }

    @Test
    void aWordLongerThanALineGetsALineOfItsOwn() {
        CueRules rules = new CueRules(10, 2, 7);
        List<CueRules.Cue> cues = cues(rules, timed("a supercalifragilistic word", 0));
        assertThat(cues.stream().flatMap(c -> c.lines().stream())).contains("supercalifragilistic");
    }

    @Test
    void outOfRangeRulesAreRefusedWithTheFieldName() {
        assertThatThrownBy(() -> new CueRules(5, 2, 7)).hasMessageContaining("max_line_chars");
        assertThatThrownBy(() -> new CueRules(42, 2, 0.5)).hasMessageContaining("max_cue_seconds");
        assertThatThrownBy(() -> new CueRules(42, 2, Double.NaN)).hasMessageContaining("max_cue_seconds");
        assertThatThrownBy(() -> new CueRules(42, 0, 7)).hasMessageContaining("lines");
    }
}
