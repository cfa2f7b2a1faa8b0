package dev.voxgate.cli;

import dev.voxgate.audio.ffmpeg.Encoding;
import dev.voxgate.server.Speech;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code voxgate transcribe} from the shaded jar in its own JVM: FFmpeg's natives load from inside
 * the jar, unpack under {@code VOXGATE_CACHE_DIR}, and an mp3 transcribes as well as its WAV.
 */
@Timeout(300)
class RunnableJarTranscribeIT {
    private static final Path JAR = Path.of("target", "voxgate.jar");
    private static final Path CACHE = Path.of(System.getProperty("java.io.tmpdir"), "voxgate-test-cache");

    private record Run(int exitCode, String out, String err, double seconds) {
    }

    private static Run transcribe(Path file) throws Exception {
        assertThat(JAR).as("the shaded jar is built in the package phase").isRegularFile();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-jar", JAR.toString(), "transcribe", file.toString()));
        pb.environment().put("VOXGATE_CACHE_DIR", CACHE.toString());
        long t0 = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("finished").isTrue();
        return new Run(p.exitValue(), out, err.get(10, TimeUnit.SECONDS), (System.nanoTime() - t0) / 1e9);
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void mp3TranscribesNoMoreThanTwoPointsWorseThanTheWav(@TempDir Path dir) throws Exception {
        List<Utterance> some = Speech.corpus().first(8);
        Utterance joined = TranscribeCommandIT.joined(some, dir.resolve("speech.wav"));
        Path mp3 = Encoding.MP3.encode(dir.resolve("speech.mp3"), 16_000, Speech.audio(joined).samples());

        Run wav = transcribe(joined.wav());
        Run fromMp3 = transcribe(mp3);
        assertThat(wav.exitCode()).as(wav.err()).isZero();
        assertThat(fromMp3.exitCode()).as(fromMp3.err()).isZero();
        double wavWer = WordErrorRate.corpus(List.of(joined), Map.of(joined.id(), wav.out()));
        double mp3Wer = WordErrorRate.corpus(List.of(joined), Map.of(joined.id(), fromMp3.out()));
        System.out.printf("[jar] %.1f s of speech: wav WER %.2f%% in %.1f s, mp3 (%d bytes) WER %.2f%% in %.1f s%n",
                joined.seconds(), wavWer * 100, wav.seconds(), Files.size(mp3), mp3Wer * 100, fromMp3.seconds());

        // One-sided: a broken decode path costs words; lossy coding may also happen to win a word or two.
        assertThat(mp3Wer).as("mp3 WER against wav WER").isLessThanOrEqualTo(wavWer + 0.02);
        assertThat(fromMp3.out().lines().toList()).as("standard output holds the transcript only, a segment a line")
                .isNotEmpty()
                .allMatch(line -> line.matches("[\\p{L}\\p{N}][\\p{L}\\p{N}\\p{P}\\p{Zs}$%]*")); // words, not log lines
        assertThat(fromMp3.out().lines().toList())
                .noneMatch(line -> line.matches(".*\\b(TRACE|DEBUG|INFO|WARN|ERROR)\\b.*"));
        assertThat(fromMp3.err()).as("no FFmpeg or JavaCPP chatter on standard error")
                .doesNotContain("Input #", "Stream #", "[mp3", "Warning");
        List<String> natives = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CACHE.resolve("javacpp"))) {
            files.map(Path::toString).filter(f -> f.contains("libavcodec")).forEach(natives::add);
        }
        assertThat(natives).as("natives unpacked under VOXGATE_CACHE_DIR/javacpp").isNotEmpty();
    }

    /** Issue 10: nothing in the jar that needs a desktop's PulseAudio, ALSA or X11 (see the shade filter). */
    @Test
    void theJarCarriesOnlyTheFfmpegLibrariesDecodingLoads() throws Exception {
        List<String> entries;
        try (ZipFile jar = new ZipFile(JAR.toFile())) {
            entries = jar.stream().map(ZipEntry::getName).toList();
        }
        assertThat(entries).noneMatch(e -> e.startsWith("org/bytedeco/javacv/"));
        List<String> ffmpeg = entries.stream().filter(e -> e.startsWith("org/bytedeco/ffmpeg/linux-x86_64/"))
                .map(e -> e.substring(e.lastIndexOf('/') + 1)).toList();
        assertThat(ffmpeg).as("FFmpeg's natives in the jar")
                .contains("libavformat.so.62", "libavcodec.so.62", "libswresample.so.6", "libavutil.so.60",
                        "libjniavformat.so")
                .noneMatch(n -> n.matches(".*(avdevice|avfilter|swscale|postproc).*|ffmpeg|ffprobe"));
    }

    @Test
    void textNamedMp3IsRefusedByContent(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp3"), "not audio at all\n".repeat(100));
        Run r = transcribe(text);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("notes.mp3: cannot read audio: This is not an audio file");
    }
}
