package dev.voxgate.audio.ffmpeg;

import dev.voxgate.audio.decode.AudioDecoderUnavailableException;
import org.bytedeco.javacpp.Loader;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Loads FFmpeg's native libraries once per JVM, after pointing JavaCPP's cache at Voxgate's cache
 * folder and silencing FFmpeg's console log.
 *
 * <p>JavaCPP unpacks the libraries (about 58 MB) from the jar into its cache folder on first use.
 * The folder is, in this order: the system property {@code org.bytedeco.javacpp.cachedir} when
 * set; {@code $VOXGATE_CACHE_DIR/javacpp}; else {@code javacpp} inside Voxgate's default cache
 * folder ({@code $XDG_CACHE_HOME/voxgate}, else {@code ~/.cache/voxgate}), as the server uses
 * for the Vosk model. The property must be set before any JavaCPP class loads, which is why no
 * other class of this module touches {@code org.bytedeco} before {@link #load()} returns.
 *
 * <p>JavaCPP's limit on the process's resident memory ({@code org.bytedeco.javacpp.maxPhysicalBytes},
 * by default four times the maximum heap) is turned off unless set: it counts all native memory,
 * so a process holding a speech model (Vosk's takes about 250 MB outside the heap) with a small
 * heap would stall a second in {@code System.gc()} and then fail every decode with
 * {@code OutOfMemoryError: Physical memory usage is too high}. The decoder's own native memory is
 * small and freed as soon as each file is closed.
 */
final class FfmpegNatives {
    static final String CACHE_DIR_PROPERTY = "org.bytedeco.javacpp.cachedir";
    static final String MAX_PHYSICAL_BYTES_PROPERTY = "org.bytedeco.javacpp.maxPhysicalBytes";
    /** FFmpeg's log level: quiet (default), panic, fatal, error, warning, info, verbose, debug or trace. */
    static final String LOG_LEVEL_VARIABLE = "FFMPEG_LOG_LEVEL";

    private static final Map<String, Integer> LOG_LEVELS = Map.of("quiet", -8, "panic", 0, "fatal", 8, "error", 16,
            "warning", 24, "info", 32, "verbose", 40, "debug", 48, "trace", 56);

    private static boolean loaded;
    private static AudioDecoderUnavailableException failure;

    private FfmpegNatives() {
    }

    /** Loads the libraries on first call; later calls return at once or repeat the first failure. */
    static synchronized void load() throws AudioDecoderUnavailableException {
        if (loaded) return;
        if (failure != null) throw failure;
        try {
            if (System.getProperty(CACHE_DIR_PROPERTY) == null) {
                System.setProperty(CACHE_DIR_PROPERTY, cacheDir(System.getenv()).toString());
            }
            if (System.getProperty(MAX_PHYSICAL_BYTES_PROPERTY) == null
                    && System.getProperty("org.bytedeco.javacpp.maxphysicalbytes") == null) {
                System.setProperty(MAX_PHYSICAL_BYTES_PROPERTY, "0");
            }
            Native.init(logLevel(System.getenv(LOG_LEVEL_VARIABLE)));
            loaded = true;
        } catch (Throwable t) {
            String platform = System.getProperty("os.name") + "/" + System.getProperty("os.arch");
            failure =
                    new AudioDecoderUnavailableException(
                            "Audio decoding is unavailable on this server: FFmpeg's native "
                    + "libraries did not load on " + platform
                    + " (this build bundles them for linux-x86_64; cache folder "
                    + System.getProperty(CACHE_DIR_PROPERTY) + "): " + t, t);
            throw failure;
        }
    }

    /** {@code $VOXGATE_CACHE_DIR/javacpp}, else the server's default cache folder's {@code javacpp}. */
    static Path cacheDir(Map<String, String> env) {
        String voxgate = env.get("VOXGATE_CACHE_DIR");
        if (voxgate != null && !voxgate.isBlank()) return Path.of(voxgate).resolve("javacpp");
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("voxgate").resolve("javacpp");
    }

    /** The av_log level for a name (or a number); quiet when unset or not understood. */
    static int logLevel(String name) {
        if (name == null || name.isBlank()) return LOG_LEVELS.get("quiet");
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (LOG_LEVELS.containsKey(n)) return LOG_LEVELS.get(n);
        try {
            return Integer.parseInt(n);
        } catch (NumberFormatException e) {
            return LOG_LEVELS.get("quiet");
        }
    }

    /**
     * The part that touches JavaCPP: a separate class, so that it loads only after the cache folder
     * is set. Only the four libraries a file decode needs are loaded (avformat brings avcodec,
     * swresample and avutil): libavdevice, which JavaCV's grabber loads, needs PulseAudio, ALSA and
     * XCB, which a server lacks.
     */
    private static final class Native {
        static void init(int level) {
            org.bytedeco.ffmpeg.global.avutil.av_log_set_level(level);
            Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
            Loader.load(org.bytedeco.ffmpeg.global.swresample.class);
        }
    }
}
