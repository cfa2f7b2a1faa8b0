package dev.voxgate.audio.transcribe;

import dev.voxgate.api.Word;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Timeout(10)
class WordAlignerTest {
    private static final List<Word> TIMED = List.of(new Word("ask", 0, 0.3, 0.9), new Word("not", 0.3, 0.5, 0.8),
            new Word("what", 0.5, 0.8, 1.0));

    @Test
    void writtenWordsTakeTheSpokenWordsTimings() {
        List<Word> w = WordAligner.align("Ask not, what", 0, 1, TIMED);
        assertThat(w).extracting(Word::word).containsExactly("Ask", "not,", "what");
        assertThat(w.get(1).start()).isEqualTo(0.3);
        assertThat(w.get(1).end()).isEqualTo(0.5);
        assertThat(w.get(1).confidence()).isEqualTo(0.8);
    }

    @Test
    void aSubstitutedWordTakesTheTimeOfTheWordItReplaces() {
        List<Word> w = WordAligner.align("Ask now what", 0, 1, TIMED);
        assertThat(w).hasSize(3);
        assertThat(w.get(1).start()).isEqualTo(0.3);
        assertThat(w.get(1).end()).isEqualTo(0.5);
        assertThat(w.get(1).confidence()).isEqualTo(1.0);
    }

    @Test
    void anInsertedWordIsPlacedBetweenItsNeighbours() {
        List<Word> timed = List.of(new Word("ask", 0, 0.3, 1), new Word("what", 0.6, 0.9, 1));
        List<Word> w = WordAligner.align("ask not what", 0, 1, timed);
        assertThat(w.get(1).start()).isEqualTo(0.3);
        assertThat(w.get(1).end()).isCloseTo(0.6, within(1e-9));
    }

    @Test
    void wordsAfterTheLastMatchStayNearItAndInsideTheSegment() {
        List<Word> w = WordAligner.align("Ask not what your country", 0, 5, TIMED);
        assertThat(w).hasSize(5);
        assertThat(w.get(3).start()).isEqualTo(0.8);
        assertThat(w.get(4).end()).isLessThan(2.0).isLessThanOrEqualTo(5.0);
    }

    @Test
    void timesAreClampedToTheSegmentAndNeverGoBack() {
        List<Word> timed = List.of(new Word("one", 0.5, 1.5, 1), new Word("two", 1.2, 1.4, 1),
                new Word("three", 2.0, 3.5, 1));
        List<Word> w = WordAligner.align("one two three", 1.0, 3.0, timed);
        assertThat(w.get(0).start()).isEqualTo(1.0);
        assertThat(w.get(2).end()).isEqualTo(3.0);
        for (int i = 1; i < w.size(); i++) assertThat(w.get(i).start()).isGreaterThanOrEqualTo(w.get(i - 1).end());
    }

    @Test
    void tooFewMatchesGiveNoTimings() {
        assertThat(WordAligner.align("one two three", 0, 1, TIMED)).isEmpty();
        assertThat(WordAligner.align("ask me nothing today", 0, 1, TIMED)).isEmpty();
        assertThat(WordAligner.align("", 0, 1, TIMED)).isEmpty();
        assertThat(WordAligner.align("ask", 0, 1, List.of())).isEmpty();
    }

    @Test
    void repeatedWordsMatchInOrder() {
        List<Word> timed = List.of(new Word("the", 0, 0.1, 1), new Word("cat", 0.1, 0.4, 1),
                new Word("the", 1.0, 1.1, 1), new Word("dog", 1.1, 1.4, 1));
        List<Word> w = WordAligner.align("The cat, the dog.", 0, 2, timed);
        assertThat(w).extracting(Word::start).containsExactly(0.0, 0.1, 1.0, 1.1);
    }

    @Test
    void bareFormIgnoresCaseAndPunctuation() {
        assertThat(WordAligner.bare("\"Don't,")).isEqualTo("don't");
        assertThat(WordAligner.bare("'tis'")).isEqualTo("tis");
    }
}
