package dev.voxgate.audio.ffmpeg;

import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Issue 10: a server without PulseAudio, X11 or ALSA (a minimal Debian root, a container) decodes
 * every format. JavaCV's grabber loaded libavdevice, whose bundled build needs libpulse.so.0, so on
 * such a server every decode failed, while a test machine with the library pulled in by some other
 * package (Chromium) hid it. Decoding runs in a fresh JVM, so that what is mapped there is what
 * decoding alone loaded.
 */
@Timeout(300)
class CleanServerDecodingTest {
    /** Never needed to decode a file: FFmpeg's device, filter and video-scaling parts, and what they pull in. */
    private static final Pattern NEVER =
            Pattern.compile("lib(jni)?(avdevice|avfilter|swscale|postproc|pulse|asound|X11|xcb|SDL)\\b.*");
    /** libavutil needs these, and JavaCPP supplies its own copies (which need only libc); never the system's. */
    private static final Pattern ONLY_BUNDLED = Pattern.compile("lib(va|va-drm|drm)\\.so.*");
    private static final Pattern DESKTOP =
            Pattern.compile("lib(pulse|asound|X11|xcb|SDL2?|va|drm)([-_][\\w.-]*?)?\\.so(\\.\\d+)*");

    @TempDir
    static Path dir;
    private static final List<Path> files = new ArrayList<>();

    @BeforeAll
    static void encodeEveryFormat() throws Exception {
        FfmpegNatives.load();
        short[] tone = new short[2 * 16_000];
        for (int i = 0; i < tone.length; i++) tone[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 16_000.0));
        for (Encoding e : Encoding.values()) {
            String name = "tone-" + e.name().toLowerCase(Locale.ROOT) + "." + e.extension;
            files.add(e.encode(dir.resolve(name), 16_000, tone));
        }
    }

    @Test
    void decodesEveryFormatWithoutLoadingDesktopLibraries() throws Exception {
        Child child = run(javaCommand());
        assertDecodedEveryFile(child);
        assertThat(child.mapped).as("libraries mapped while decoding").isNotEmpty()
                .anyMatch(p -> name(p).startsWith("libavformat"))
                .noneMatch(p -> NEVER.matcher(name(p)).matches())
                .noneMatch(p -> ONLY_BUNDLED.matcher(name(p)).matches() && !p.startsWith(cacheDir()));
    }

    /**
     * The same decode with the desktop libraries made to look absent, as on a minimal server: in a
     * private mount namespace, /dev/null is bound over each of them (needs root and util-linux's
     * unshare; without them this check is skipped, and says so on stderr).
     */
    @Test
    void decodesEveryFormatWhereTheDesktopLibrariesAreAbsent() throws Exception {
        String cannot = unshareUnavailable();
        if (cannot != null) {
            System.err.println("\n*** CLEAN-SERVER CHECK NOT RUN: " + cannot
                    + ". Decoding with libpulse, libasound, libX11, libxcb, "
                    + "libSDL, libva and libdrm hidden was NOT tested on this machine. ***\n");
            Assumptions.abort("clean-server check not run: " + cannot);
        }
        Set<String> hidden = desktopLibraries();
        System.out.println("[clean-server] hiding " + hidden.size() + " libraries: " + hidden);
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "for f in $HIDE; do mount --bind /dev/null \"$f\" || exit 97; done; exec \"$@\"", "sh"));
        command.addAll(javaCommand());
        Child child = run(command, String.join(" ", hidden));
        assertThat(child.exitCode).as("binding /dev/null over the libraries worked: " + child.output).isNotEqualTo(97);
        assertDecodedEveryFile(child);
        assertThat(child.mapped).noneMatch(p -> NEVER.matcher(name(p)).matches());
    }

    private static void assertDecodedEveryFile(Child child) {
        System.out.println("[clean-server] child JVM exit " + child.exitCode + ":\n" + child.output);
        for (Path f : files) {
            var decoded = Pattern.compile("decoded " + Pattern.quote(f.getFileName().toString()) + " ([\\d.]+)")
                    .matcher(child.output);
            assertThat(decoded.find()).as(f.getFileName() + " decoded in the child JVM").isTrue();
            assertThat(Double.parseDouble(decoded.group(1))).as(f.getFileName() + " seconds")
                    .isCloseTo(2.0, within(0.1));
        }
        assertThat(child.exitCode).as("child's exit code").isZero();
    }

    private record Child(int exitCode, String output, List<String> mapped) {
    }

    private static Child run(List<String> command) throws Exception {
        return run(command, "");
    }

    private static Child run(List<String> command, String hide) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("HIDE", hide);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        List<String> mapped = out.lines().filter(l -> l.startsWith("mapped ")).map(l -> l.substring(7)).toList();
        return new Child(p.exitValue(), out, mapped);
    }

    private static List<String> javaCommand() {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        String cache = System.getProperty(FfmpegNatives.CACHE_DIR_PROPERTY);
        if (cache != null) c.add("-D" + FfmpegNatives.CACHE_DIR_PROPERTY + "=" + cache);
        c.addAll(List.of("-cp", System.getProperty("java.class.path"), DecodeInFreshJvm.class.getName()));
        for (Path f : files) c.add(f.toString());
        return c;
    }

    private static String cacheDir() {
        try {
            return Loader.getCacheDir().toPath().toRealPath().toString(); // as /proc/self/maps names it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String name(String path) {
        return Path.of(path).getFileName().toString();
    }

    /** Why the mount namespace cannot be had, or null when it can. */
    private static String unshareUnavailable() throws InterruptedException {
        if (!System.getProperty("os.name").startsWith("Linux")) return "not Linux";
        try {
            Process p =
                    new ProcessBuilder("unshare", "--mount", "--propagation", "private", "mount", "--bind", "/dev/null",
                            "/dev/null")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unshare did not finish";
            }
            return p.exitValue() == 0 ? null : "unshare --mount failed (needs root): " + out;
        } catch (IOException e) {
            return "unshare is not installed (" + e.getMessage() + ")";
        }
    }

    /** The desktop libraries present on this machine, by real path (so each is bound over once). */
    private static Set<String> desktopLibraries() throws IOException {
        Set<String> found = new LinkedHashSet<>();
        for (String d : List.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib",
                "/lib64", "/lib")) {
            Path folder = Path.of(d);
            if (!Files.isDirectory(folder)) continue;
            try (Stream<Path> list = Files.list(folder)) {
                for (Path p : list.filter(p -> DESKTOP.matcher(p.getFileName().toString()).matches()).toList()) {
                    if (Files.isRegularFile(p)) found.add(p.toRealPath().toString());
                }
            }
        }
        return found;
    }
}
