package dev.voxgate.engine.twopass;

import dev.voxgate.api.Word;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class WordAlignmentTest {
    private static final List<Word> TIMED = List.of(new Word("ask", 0, 0.3, 0.9), new Word("not", 0.3, 0.5, 0.8),
            new Word("what", 0.5, 0.8, 1.0));

    @Test
    void writtenWordsTakeTheSpokenWordsTimings() {
        List<Word> w = WordAlignment.align("Ask not, what", TIMED);
        assertThat(w).extracting(Word::word).containsExactly("Ask", "not,", "what");
        assertThat(w.get(1).start()).isEqualTo(0.3);
        assertThat(w.get(1).confidence()).isEqualTo(0.8);
    }

    @Test
    void oneSubstitutionStillAligns() {
        assertThat(WordAlignment.align("Ask now what", TIMED)).hasSize(3);
    }

    @Test
    void differentCountsOrWordsGiveNoTimings() {
        assertThat(WordAlignment.align("Ask not what your", TIMED)).isEmpty();
        assertThat(WordAlignment.align("one two three", TIMED)).isEmpty();
        assertThat(WordAlignment.align("", TIMED)).isEmpty();
    }

    @Test
    void bareFormIgnoresCaseAndPunctuation() {
        assertThat(WordAlignment.bare("\"Don't,")).isEqualTo("don't");
        assertThat(WordAlignment.bare("'tis'")).isEqualTo("tis");
    }
}
