package dev.voxgate.testkit;

import dev.voxgate.audio.WavWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class SpeechCorpusTest {

    @Test
    void readsAManifestInPlace(@TempDir Path dir) throws Exception {
        WavWriter.write(dir.resolve("u1.wav"), 16_000, 1, new short[40_000]);
        WavWriter.write(dir.resolve("u2.wav"), 16_000, 1, new short[64_000]);
        Files.writeString(dir.resolve("manifest.tsv"), "id\tfile\tseconds\tspeaker_sex\treference\n"
                + "u1\tu1.wav\t2.5\tm\thello world\n" + "u2\tu2.wav\t4.0\tf\tgood morning to you\n");
        SpeechCorpus c = SpeechCorpus.fromManifest(dir);
        assertThat(c.utterances()).containsExactly(new Utterance("u1", dir.resolve("u1.wav"), 2.5, "hello world"),
                new Utterance("u2", dir.resolve("u2.wav"), 4.0, "good morning to you"));
        assertThat(c.isTeamSet()).isTrue();
        assertThat(c.longest().id()).isEqualTo("u2");
        assertThat(c.atLeastWords(6)).extracting(Utterance::id).containsExactly("u1", "u2");
        assertThat(c.atLeastWords(9)).extracting(Utterance::id).containsExactly("u1", "u2", "u1#2", "u2#2");
        assertThat(c.atLeastWords(9).get(3).wav()).isEqualTo(dir.resolve("u2.wav"));
    }

    @Test
    void aSpreadTakesOneUtterancePerSourceInTurnUntilItHoldsTheSeconds(@TempDir Path dir) throws Exception {
        StringBuilder manifest = new StringBuilder("id\tfile\tseconds\tspeaker_sex\treference\n");
        for (String id : new String[] {"lj-1", "lj-2", "lj-3", "ls-1", "ls-2", "jfk"}) {
            WavWriter.write(dir.resolve(id + ".wav"), 16_000, 1, new short[32_000]);
            manifest.append(id).append('\t').append(id).append(".wav\t2.0\tm\tsome words\n");
        }
        Files.writeString(dir.resolve("manifest.tsv"), manifest);
        SpeechCorpus c = SpeechCorpus.fromManifest(dir);
        assertThat(c.spread(5)).extracting(Utterance::id).containsExactly("lj-1", "ls-1", "jfk");
        assertThat(c.spread(7)).extracting(Utterance::id).containsExactly("lj-1", "ls-1", "jfk", "lj-2");
        assertThat(c.spread(100)).extracting(Utterance::id).containsExactlyInAnyOrderElementsOf(
                c.utterances().stream().map(Utterance::id).toList());
    }

    @Test
    void leavesOutARecordingWhoseLengthIsNotTheManifests(@TempDir Path dir) throws Exception {
        WavWriter.write(dir.resolve("u1.wav"), 16_000, 1, new short[40_000]);
        WavWriter.write(dir.resolve("u2.wav"), 16_000, 1, new short[16_000 * 140]); // a 140 s file listed as 10 s
        Files.writeString(dir.resolve("manifest.tsv"), "id\tfile\tseconds\tspeaker_sex\treference\n"
                + "u1\tu1.wav\t2.5\tm\thello world\n" + "u2\tu2.wav\t10.44\tm\the hoped there would be stew\n");
        assertThat(SpeechCorpus.fromManifest(dir).utterances()).extracting(Utterance::id).containsExactly("u1");
    }

    @Test
    void loadsSomeRealSpeech() {
        SpeechCorpus c = SpeechCorpus.load();
        assertThat(c.utterances()).isNotEmpty();
        c.utterances().forEach(u -> assertThat(u.wav()).isRegularFile());
        assertThat(c.totalSeconds()).isGreaterThan(10);
    }

    @Test
    void pocketsphinxFallbackHasReferences() {
        if (!Files.isDirectory(SpeechCorpus.POCKETSPHINX_DATA)) {
            throw new AssertionError("pocketsphinx-testdata is not installed (apt-get install pocketsphinx-testdata): "
                    + "the fallback speech for fresh clones cannot be checked");
        }
        SpeechCorpus c = SpeechCorpus.fromPocketsphinx(SpeechCorpus.POCKETSPHINX_DATA);
        assertThat(c.utterances()).hasSizeGreaterThanOrEqualTo(5);
        assertThat(c.utterances().get(0).reference()).doesNotContain("<s>").isNotBlank();
        assertThat(c.isTeamSet()).as("the fallback is not the set the absolute bounds were tuned on").isFalse();
        c.utterances().forEach(u -> assertThat(u.wav()).isRegularFile());
    }
}
