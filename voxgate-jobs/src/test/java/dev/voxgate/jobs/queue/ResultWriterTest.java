package dev.voxgate.jobs.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.api.Segment;
import dev.voxgate.api.Word;
import dev.voxgate.audio.transcribe.Transcript;
import dev.voxgate.jobs.JobRequest;
import dev.voxgate.jobs.ResultFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ResultWriterTest {
    private static final Transcript T = new Transcript(List.of(
            new Segment("hello world", 0.5, 1.25,
                    List.of(new Word("hello", 0.5, 0.8, 0.98), new Word("world", 0.9, 1.25, 0.9))),
            new Segment("", 1.3, 1.4, List.of()),
            new Segment("again", 2.0, 2.5, List.of())), 3.0);
    private static final JobRequest REQ = new JobRequest("vosk", "en", EnumSet.of(ResultFormat.SRT));

    @Test
    void jsonHasTextLanguageDurationEngineAndNumberedSegmentsWithWords() throws Exception {
        JsonNode j = new ObjectMapper().readTree(ResultWriter.render(ResultFormat.JSON, T, REQ));
        assertThat(j.get("text").asText()).isEqualTo("hello world again");
        assertThat(j.get("language").asText()).isEqualTo("en");
        assertThat(j.get("duration").asDouble()).isEqualTo(3.0);
        assertThat(j.get("engine").asText()).isEqualTo("vosk");
        assertThat(j.get("segments")).hasSize(2);
        JsonNode s0 = j.get("segments").get(0);
        assertThat(s0.get("id").asInt()).isZero();
        assertThat(s0.get("start").asDouble()).isEqualTo(0.5);
        assertThat(s0.get("end").asDouble()).isEqualTo(1.25);
        assertThat(s0.get("text").asText()).isEqualTo("hello world");
        assertThat(s0.get("words").get(1).get("word").asText()).isEqualTo("world");
        assertThat(s0.get("words").get(0).get("confidence").asDouble()).isEqualTo(0.98);
        assertThat(j.get("segments").get(1).get("id").asInt()).isEqualTo(1);
        assertThat(j.get("segments").get(1).get("words")).isEmpty();
    }

    @Test
    void defaultEngineAndLanguageAreNull() throws Exception {
        JsonNode j = new ObjectMapper().readTree(ResultWriter.render(ResultFormat.JSON, T, JobRequest.defaults()));
        assertThat(j.get("engine").isNull()).isTrue();
        assertThat(j.get("language").isNull()).isTrue();
    }

    @Test
    void subtitleFormatsComeFromTheSubtitleFormatter() {
        assertThat(new String(ResultWriter.render(ResultFormat.TXT, T, REQ), StandardCharsets.UTF_8))
                .isEqualTo("hello world\nagain\n");
        assertThat(new String(ResultWriter.render(ResultFormat.SRT, T, REQ), StandardCharsets.UTF_8))
                .startsWith("1\n00:00:00,500 --> 00:00:01,250\nhello world\n\n2\n");
        assertThat(new String(ResultWriter.render(ResultFormat.VTT, T, REQ), StandardCharsets.UTF_8))
                .startsWith("WEBVTT\n\n00:00:00.500 --> 00:00:01.250\nhello world\n");
    }
}
