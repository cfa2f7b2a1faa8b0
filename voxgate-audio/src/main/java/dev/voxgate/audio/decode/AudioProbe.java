package dev.voxgate.audio.decode;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What an audio file is, found from its content (see {@link AudioFileDecoder#probe}).
 *
 * @param format         the normalised format name, lower case: one of {@link #COMMON_FORMATS}
 *                       for the usual files ({@code m4a} for any MP4/QuickTime file, {@code opus}
 *                       for Opus in Ogg, {@code ogg} for other Ogg files such as Vorbis,
 *                       {@code webm} for WebM and Matroska), else the decoder's own container
 *                       name (for example {@code aiff}, {@code amr}, {@code aac} for raw ADTS)
 * @param container      the decoder's own name for the container, for logs (FFmpeg's demuxer name,
 *                       such as {@code mov,mp4,m4a,3gp,3g2,mj2})
 * @param codec          the audio codec, e.g. {@code mp3}, {@code aac}, {@code opus}, {@code pcm_s16le}
 * @param durationSeconds the duration the headers announce (or the decoder estimates), when known
 * @param sampleRate     the source's sample rate in Hz
 * @param channels       the source's channel count
 */
public record AudioProbe(String format, String container, String codec, OptionalDouble durationSeconds,
                         int sampleRate, int channels) {

    /** The formats an upload allow-list usually names (the {@code format} of the common files). */
    public static final Set<String> COMMON_FORMATS = Set.of("mp3", "wav", "m4a", "flac", "ogg", "opus", "webm");

    /** Further names a file of a format may be called by in an allow-list. */
    private static final Map<String, Set<String>> ALSO_KNOWN_AS = Map.of(
            "opus", Set.of("ogg"),      // Opus in an Ogg container: .opus and .ogg alike
            "m4a", Set.of("mp4"),
            "webm", Set.of("mkv", "matroska"));

    public AudioProbe {
        format = Objects.requireNonNull(format, "format").toLowerCase(Locale.ROOT);
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(durationSeconds, "durationSeconds");
    }

    /** {@link #format} and the other names it may be allowed under, e.g. {@code [opus, ogg]}. */
    public Set<String> names() {
        return Stream.concat(Stream.of(format), ALSO_KNOWN_AS.getOrDefault(format, Set.of()).stream())
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Whether an allow-list admits this file: true when it names {@link #format} or one of its
     * other {@link #names()} (case and a leading dot ignored, so {@code ".MP3"} counts as {@code mp3}).
     */
    public boolean matchesAny(Set<String> allowed) {
        Set<String> mine = names();
        for (String a : allowed) {
            if (a == null) continue;
            String n = a.strip().toLowerCase(Locale.ROOT);
            if (n.startsWith(".")) n = n.substring(1);
            if (mine.contains(n)) return true;
        }
        return false;
    }
}
