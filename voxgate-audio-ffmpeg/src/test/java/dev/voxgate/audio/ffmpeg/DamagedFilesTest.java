package dev.voxgate.audio.ffmpeg;

import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.WavReader;
import dev.voxgate.audio.decode.AudioDecodeException;
import dev.voxgate.testkit.SpeechCorpus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every format cut short at many points and with bytes overwritten: each decode ends, in bounded
 * time, either normally (with the audio that could be decoded) or with an {@link AudioDecodeException}
 * - never another exception, a hang or a crash of the JVM.
 */
@Timeout(120)
class DamagedFilesTest {
    private static final double[] CUTS = {0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99};

    private static PcmAudio speech;

    @BeforeAll
    static void load() throws Exception {
        FfmpegNatives.load();
        var u = SpeechCorpus.load().utterances().stream().filter(x -> x.seconds() > 3).findFirst().orElseThrow();
        speech = WavReader.read(u.wav()).resampledTo(16_000);
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void cutOrScrambledFilesEndCleanly(Encoding encoding, @TempDir Path dir) throws Exception {
        FfmpegAudioDecoder decoder = new FfmpegAudioDecoder();
        byte[] whole =
                Files.readAllBytes(encoding.encode(dir.resolve("whole." + encoding.extension), 16_000,
                        speech.samples()));
        TreeMap<String, String> outcomes = new TreeMap<>();
        for (double cut : CUTS) {
            Path file =
                    Files.write(dir.resolve("cut" + cut),
                            Arrays.copyOf(whole, Math.max(1, (int) (whole.length * cut))));
            outcomes.put(String.format("cut %5.1f%%", cut * 100), outcome(decoder, file));
        }
        Random random = new Random(7);
        for (int round = 0; round < 5; round++) {
            byte[] scrambled = whole.clone();
            for (int i = 0; i < 20; i++) { // 20 runs of 16 random bytes anywhere, the headers included
                int at = random.nextInt(scrambled.length);
                for (int j = at; j < Math.min(scrambled.length, at + 16); j++) scrambled[j] = (byte) random.nextInt();
            }
            outcomes.put("scrambled " + round,
                    outcome(decoder, Files.write(dir.resolve("scrambled" + round), scrambled)));
        }
        System.out.printf("[damaged] %-10s %s%n", encoding, outcomes);
        if (encoding == Encoding.M4A) { // the index (moov) comes last: without it nothing can be found
            assertThat(outcomes.get("cut  99.0%")).isEqualTo("corrupt_file");
        } else {
            assertThat(outcomes.get("cut  50.0%")).as("half the file").startsWith("decoded");
            assertThat(outcomes.get("cut  99.0%")).as("nearly the whole file").startsWith("decoded");
        }
    }

    private static String outcome(FfmpegAudioDecoder decoder, Path file) {
        try {
            return String.format("decoded %.1f s", decoder.decodeAll(file, 16_000).seconds());
        } catch (AudioDecodeException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain(file.toString());
            return e.reason().code();
        }
    }
}
