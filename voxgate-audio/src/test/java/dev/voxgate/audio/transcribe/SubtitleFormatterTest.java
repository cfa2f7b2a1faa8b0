package dev.voxgate.audio.transcribe;

import dev.voxgate.api.Segment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static dev.voxgate.audio.transcribe.TranscriptTest.seg;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class SubtitleFormatterTest {

    private static Transcript transcript(Segment... segments) {
        return new Transcript(List.of(segments), 10);
    }

    @Test
    void srtTimestampHasHoursMinutesSecondsAndCommaMillis() {
        assertThat(SubtitleFormatter.timestamp(3661.5, ',')).isEqualTo("01:01:01,500");
        assertThat(SubtitleFormatter.timestamp(0, ',')).isEqualTo("00:00:00,000");
        assertThat(SubtitleFormatter.timestamp(59.999, ',')).isEqualTo("00:00:59,999");
        assertThat(SubtitleFormatter.timestamp(754.321, ',')).isEqualTo("00:12:34,321");
    }

    @Test
    void vttTimestampUsesADotBeforeTheMillis() {
        assertThat(SubtitleFormatter.timestamp(3661.5, '.')).isEqualTo("01:01:01.500");
    }

    @Test
    void timestampsRoundToTheNearestMillisecondAndCarry() {
        assertThat(SubtitleFormatter.timestamp(1.0004, ',')).isEqualTo("00:00:01,000");
        assertThat(SubtitleFormatter.timestamp(1.0006, ',')).isEqualTo("00:00:01,001");
        assertThat(SubtitleFormatter.timestamp(59.9996, ',')).isEqualTo("00:01:00,000");
        assertThat(SubtitleFormatter.timestamp(3599.9999, ',')).isEqualTo("01:00:00,000");
    }

    @Test
    void timestampsPastNinetyNineHoursKeepAllHourDigits() {
        assertThat(SubtitleFormatter.timestamp(100 * 3600 + 1.25, ',')).isEqualTo("100:00:01,250");
    }

    @Test
    void negativeTimesAreShownAsZero() {
        assertThat(SubtitleFormatter.timestamp(-0.3, ',')).isEqualTo("00:00:00,000");
    }

    @Test
    void srtNumbersCuesFromOneWithTimesAndText() {
        String srt =
                SubtitleFormatter.srt(transcript(seg("hello there", 0.5, 1.75), seg("general kenobi", 3661.5, 3662)));

        assertThat(srt).isEqualTo("""
                1
                00:00:00,500 --> 00:00:01,750
                hello there

                2
                01:01:01,500 --> 01:01:02,000
                general kenobi

                """);
    }

    @Test
    void srtSkipsEmptySegmentsAndKeepsTheNumberingConsecutive() {
        String srt =
                SubtitleFormatter.srt(transcript(seg("one", 0, 1), seg("", 1, 2), seg("  ", 2, 3), seg("two", 3, 4)));

        assertThat(srt).isEqualTo("""
                1
                00:00:00,000 --> 00:00:01,000
                one

                2
                00:00:03,000 --> 00:00:04,000
                two

                """);
    }

    @Test
    void vttStartsWithItsHeaderAndHasNoCueNumbers() {
        String vtt = SubtitleFormatter.vtt(transcript(seg("hello", 0.25, 1), seg("", 1, 2), seg("world", 61, 62.5)));

        assertThat(vtt).isEqualTo("""
                WEBVTT

                00:00:00.250 --> 00:00:01.000
                hello

                00:01:01.000 --> 00:01:02.500
                world

                """);
    }

    @Test
    void emptyTranscriptGivesEmptySrtAndTextButAVttHeader() {
        Transcript empty = transcript();

        assertThat(SubtitleFormatter.srt(empty)).isEmpty();
        assertThat(SubtitleFormatter.text(empty)).isEmpty();
        assertThat(SubtitleFormatter.vtt(empty)).isEqualTo("WEBVTT\n\n");
    }

    @Test
    void textIsOneLinePerNonEmptySegment() {
        String text =
                SubtitleFormatter.text(transcript(seg("first line", 0, 1), seg("", 1, 2), seg("second line", 2, 3)));

        assertThat(text).isEqualTo("first line\nsecond line\n");
    }
}
