package dev.voxgate.audio.ffmpeg;

import dev.voxgate.audio.decode.AudioDecodeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Run by {@link CleanServerDecodingTest} in a JVM of its own, so that only what decoding loads is
 * mapped, whatever other tests in the same JVM loaded: decodes each file named on the command line,
 * then prints every shared library this process has mapped.
 *
 * <p>Output, one item a line: {@code decoded NAME SECONDS} or {@code failed NAME MESSAGE} per file,
 * then {@code mapped PATH} per library. Exit code 0 when every file decoded.
 */
final class DecodeInFreshJvm {
    private DecodeInFreshJvm() {
    }

    public static void main(String[] args) throws IOException {
        FfmpegAudioDecoder decoder = new FfmpegAudioDecoder();
        int failed = 0;
        for (String arg : args) {
            Path file = Path.of(arg);
            try {
                double seconds = decoder.decodeAll(file, 16_000).seconds();
                System.out.printf(Locale.ROOT, "decoded %s %.2f%n", file.getFileName(), seconds);
            } catch (AudioDecodeException | RuntimeException e) {
                failed++;
                System.out.println("failed " + file.getFileName() + " " + e);
            }
        }
        for (String library : mappedLibraries()) System.out.println("mapped " + library);
        System.out.flush();
        System.exit(failed == 0 ? 0 : 1);
    }

    private static TreeSet<String> mappedLibraries() throws IOException {
        TreeSet<String> libraries = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int slash = line.indexOf('/');
            if (slash < 0) continue;
            String path = line.substring(slash).replace(" (deleted)", "");
            if (path.contains(".so")) libraries.add(path);
        }
        return libraries;
    }
}
