package dev.voxgate.audio.transcribe;

import dev.voxgate.api.Segment;
import dev.voxgate.api.Word;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class TranscriptTest {

    static Segment seg(String text, double start, double end) {
        return new Segment(text, start, end, List.of());
    }

    @Test
    void textJoinsNonEmptySegmentsWithSingleSpaces() {
        Transcript t =
                new Transcript(List.of(seg("hello world", 0, 1), seg("", 1, 2), seg("   ", 2, 3), seg(" again ", 3, 4)),
                        4);

        assertThat(t.text()).isEqualTo("hello world again");
    }

    @Test
    void textOfNoSegmentsIsEmpty() {
        assertThat(new Transcript(List.of(), 0).text()).isEmpty();
        assertThat(new Transcript(List.of(seg("", 0, 1)), 1).text()).isEmpty();
    }

    @Test
    void segmentsAreACopyThatCannotChange() {
        List<Segment> source = new ArrayList<>(List.of(seg("one", 0, 1)));
        Transcript t = new Transcript(source, 1);

        source.add(seg("two", 1, 2));

        assertThat(t.segments()).extracting(Segment::text).containsExactly("one");
        assertThatThrownBy(() -> t.segments().add(seg("three", 2, 3)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void keepsSegmentsInOrderWithTheirWordsAndDuration() {
        Segment withWords =
                new Segment("a b", 0.5, 1.5, List.of(new Word("a", 0.5, 0.9, 0.8), new Word("b", 1.0, 1.5, 1.0)));
        Transcript t = new Transcript(List.of(seg("first", 0, 0.4), withWords), 2.25);

        assertThat(t.segments()).containsExactly(seg("first", 0, 0.4), withWords);
        assertThat(t.segments().get(1).words()).extracting(Word::word).containsExactly("a", "b");
        assertThat(t.durationSeconds()).isEqualTo(2.25);
    }
}
