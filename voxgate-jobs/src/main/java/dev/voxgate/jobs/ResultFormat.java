package dev.voxgate.jobs;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The transcript files a finished job offers. */
public enum ResultFormat {
    TXT("txt", "text/plain; charset=utf-8"),
    JSON("json", "application/json"),
    SRT("srt", "application/x-subrip; charset=utf-8"),
    VTT("vtt", "text/vtt; charset=utf-8");

    private final String extension;
    private final String mediaType;

    ResultFormat(String extension, String mediaType) {
        this.extension = extension;
        this.mediaType = mediaType;
    }

    /** The file extension and the name clients use: {@code txt}, {@code json}, {@code srt}, {@code vtt}. */
    public String extension() {
        return extension;
    }

    /** The Content-Type to serve the file with. */
    public String mediaType() {
        return mediaType;
    }

    /** {@code "srt"}, {@code "SRT"} or {@code ".srt"} → {@link #SRT}; empty for anything else. */
    public static Optional<ResultFormat> parse(String name) {
        if (name == null) return Optional.empty();
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.startsWith(".")) n = n.substring(1);
        String wanted = n;
        return Arrays.stream(values()).filter(f -> f.extension.equals(wanted)).findFirst();
    }
}
