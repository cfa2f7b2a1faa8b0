package dev.voxgate.jobs;

import java.util.Comparator;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the client asked for with an upload.
 *
 * @param engine   the engine to use, or null for the server's default
 * @param language the language (e.g. {@code en}, {@code en-US}), or null for the engine's default
 * @param formats  the transcript formats the client wants, never empty. All four are written
 *                 anyway (they are small, and any can be downloaded later); this is kept for the
 *                 API to show and to pick a default download
 * @param wordTimes whether the engine's words are to be timed by a second engine when it has no word
 *                  times of its own (Whisper's by Vosk: about three times the CPU), for the word times
 *                  in {@code json} and the word-level cues in {@code srt} and {@code vtt}
 */
public record JobRequest(String engine, String language, Set<ResultFormat> formats, boolean wordTimes) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    public JobRequest {
        engine = checkName("engine", engine);
        language = checkName("language", language);
        Objects.requireNonNull(formats, "formats");
        if (formats.isEmpty()) throw new IllegalArgumentException("at least one result format is needed");
        formats = Set.copyOf(formats);
    }

    /** Without word times for an engine that has none. */
    public JobRequest(String engine, String language, Set<ResultFormat> formats) {
        this(engine, language, formats, false);
    }

    /** The default engine and language, all formats. */
    public static JobRequest defaults() {
        return new JobRequest(null, null, EnumSet.allOf(ResultFormat.class));
    }

    /** The formats in the order of {@link ResultFormat}, for storage and display. */
    public String formatList() {
        return formats.stream().sorted(Comparator.naturalOrder()).map(ResultFormat::extension)
                .collect(Collectors.joining(","));
    }

    private static String checkName(String what, String value) {
        if (value == null || value.isBlank()) return null;
        String v = value.strip();
        if (!NAME.matcher(v).matches()) {
            throw new IllegalArgumentException(what + " must be 1 to 64 letters, digits, '.', '_', '+' or '-': '"
                    + v.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        return v;
    }
}
