package dev.voxgate.engine.aws;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.Segment;
import dev.voxgate.api.Word;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.transcribestreaming.model.Alternative;
import software.amazon.awssdk.services.transcribestreaming.model.Item;
import software.amazon.awssdk.services.transcribestreaming.model.ItemType;
import software.amazon.awssdk.services.transcribestreaming.model.Result;
import software.amazon.awssdk.services.transcribestreaming.model.TranscriptEvent;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class AwsTranscribeCodecTest {
    private static Item word(String w, double start, double end, Double confidence) {
        return Item.builder().type(ItemType.PRONUNCIATION).content(w).startTime(start).endTime(end)
                .confidence(confidence).stable(true).build();
    }

    private static Item punctuation(String p, double at) {
        return Item.builder().type(ItemType.PUNCTUATION).content(p).startTime(at).endTime(at).build();
    }

    private static TranscriptEvent event(String id, boolean partial, double start, double end, String text,
            Item... items) {
        Result r = Result.builder().resultId(id).isPartial(partial).startTime(start).endTime(end).channelId("ch_0")
                .alternatives(Alternative.builder().transcript(text).items(items).build()).build();
        return TranscriptEvent.builder().transcript(t -> t.results(r)).build();
    }

    @Test
    void partialResultsArePartialsAndTheNonPartialOneIsTheFinalWithItsWordTimes() {
        AwsTranscribeCodec codec = new AwsTranscribeCodec();
        assertThat(codec.decode(event("r1", true, 0.1, 0.6, "hello", word("hello", 0.1, 0.6, null))))
                .containsExactly(new AwsTranscribeCodec.Recognized.Partial("hello"));
        assertThat(codec.decode(event("r1", true, 0.1, 1.1, "hello world",
                word("hello", 0.1, 0.6, null), word("world", 0.7, 1.1, null))))
                .containsExactly(new AwsTranscribeCodec.Recognized.Partial("hello world"));
        assertThat(codec.decode(event("r1", false, 0.1, 1.2, "Hello world.", word("Hello", 0.1, 0.6, 0.98),
                word("world", 0.7, 1.1, 0.75), punctuation(".", 1.1))))
                .containsExactly(new AwsTranscribeCodec.Recognized.Final(new Segment("Hello world.", 0.1, 1.2,
                        List.of(new Word("Hello", 0.1, 0.6, 0.98), new Word("world", 0.7, 1.1, 0.75)))));
    }

    @Test
    void anUtteranceIsOpenFromItsFirstPartialToItsFinal() {
        AwsTranscribeCodec codec = new AwsTranscribeCodec();
        assertThat(codec.utteranceOpen()).isFalse();
        codec.decode(event("r1", true, 0, 1, "one", word("one", 0, 1, null)));
        assertThat(codec.utteranceOpen()).isTrue();
        codec.decode(event("r1", false, 0, 1, "one", word("one", 0, 1, 0.9)));
        assertThat(codec.utteranceOpen()).isFalse();
    }

    @Test
    void aResultIdIsFinalOnceAndLatePartialsOfItAreDropped() {
        AwsTranscribeCodec codec = new AwsTranscribeCodec();
        assertThat(codec.decode(event("r1", false, 0, 1, "one", word("one", 0, 1, 0.9)))).hasSize(1);
        assertThat(codec.decode(event("r1", false, 0, 1, "one", word("one", 0, 1, 0.9)))).isEmpty();
        assertThat(codec.decode(event("r1", true, 0, 1, "one", word("one", 0, 1, 0.9)))).isEmpty();
        assertThat(codec.decode(event("r2", false, 1.5, 2, "two", word("two", 1.5, 2, 0.9))))
                .singleElement().isInstanceOf(AwsTranscribeCodec.Recognized.Final.class);
    }

    @Test
    void anEmptyFinalIsNotReportedAndMissingConfidenceIsOne() {
        AwsTranscribeCodec codec = new AwsTranscribeCodec();
        assertThat(codec.decode(event("r1", false, 0, 1, "  "))).isEmpty();
        var out = codec.decode(event("r2", false, 1, 2, "yes", word("yes", 1.2, 1.5, null)));
        assertThat(out).singleElement().satisfies(r -> assertThat(((AwsTranscribeCodec.Recognized.Final) r)
                .segment().words()).containsExactly(new Word("yes", 1.2, 1.5, 1.0)));
    }

    @Test
    void aFinalNeverStartsBeforeThePreviousOne() {
        AwsTranscribeCodec codec = new AwsTranscribeCodec();
        codec.decode(event("r1", false, 2.0, 3.0, "later", word("later", 2.0, 3.0, 0.9)));
        var out = codec.decode(event("r2", false, 1.5, 2.5, "overlap", word("overlap", 1.5, 2.5, 0.9)));
        Segment s = ((AwsTranscribeCodec.Recognized.Final) out.getFirst()).segment();
        assertThat(s.start()).isEqualTo(2.0);
        assertThat(s.end()).isEqualTo(2.5);
    }

    @Test
    void anEventWithNoResultsOrAlternativesGivesNothing() {
        AwsTranscribeCodec codec = new AwsTranscribeCodec();
        assertThat(codec.decode(TranscriptEvent.builder().transcript(t -> t.results(List.of())).build())).isEmpty();
        assertThat(codec.decode(TranscriptEvent.builder().transcript(t -> t.results(Result.builder().resultId("x")
                .isPartial(false).build())).build())).isEmpty();
    }

    @Test
    void languageTagsMapToTranscribesCodes() throws Exception {
        var config = AwsTranscribeConfig.from(new EngineContext(Map.of("AWS_REGION",
                "eu-west-1", "AWS_TRANSCRIBE_LANGUAGES", "en,de", "AWS_TRANSCRIBE_LANGUAGE_CODES", "de=de-CH"),
                Path.of(".")));
        assertThat(config.languageCode(null)).isEqualTo("en-US");
        assertThat(config.languageCode("en")).isEqualTo("en-US");
        assertThat(config.languageCode("en-gb")).isEqualTo("en-GB");
        assertThat(config.languageCode("en_AU")).isEqualTo("en-AU");
        assertThat(config.languageCode("de")).isEqualTo("de-CH");
        assertThat(config.safeEndpoint()).isEqualTo("https://transcribestreaming.eu-west-1.amazonaws.com");
    }
}
