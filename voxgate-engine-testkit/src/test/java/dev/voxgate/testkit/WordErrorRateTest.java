package dev.voxgate.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(5)
class WordErrorRateTest {

    @Test
    void normalisesLikeTheTeamScorer() {
        assertThat(WordErrorRate.normalize("Don\u2019t  STOP—forty-two 'em, Mr. Smith!"))
                .containsExactly("don't", "stop", "forty", "two", "em", "mr", "smith");
    }

    @Test
    void countsSubstitutionsDeletionsAndInsertions() {
        assertThat(WordErrorRate.edits("a b c d", "a x c d")).isEqualTo(1);
        assertThat(WordErrorRate.edits("a b c d", "a c d")).isEqualTo(1);
        assertThat(WordErrorRate.edits("a b c d", "a b c d e f")).isEqualTo(2);
        assertThat(WordErrorRate.edits("a b", "")).isEqualTo(2);
    }

    @Test
    void corpusRateIsTotalEditsOverTotalWords() {
        Utterance one = new Utterance("1", Path.of("1.wav"), 1, "the cat sat");
        Utterance two = new Utterance("2", Path.of("2.wav"), 1, "on the mat");
        assertThat(WordErrorRate.corpus(List.of(one, two), Map.of("1", "the cat sat", "2", "on a"))).isEqualTo(2 / 6.0);
        assertThat(WordErrorRate.corpus(List.of(one), Map.of())).as("a missing hypothesis is all deletions")
                .isEqualTo(1.0);
    }
}
