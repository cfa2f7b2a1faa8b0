package dev.voxgate.server.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Limits on uploaded audio files ({@code POST /api/jobs}, {@code POST /v1/audio/transcriptions}).
 *
 * @param maxFileBytes   {@code MAX_FILE_SIZE_MB}: larger uploads are refused with 413 before their body is read
 * @param allowedFormats {@code ALLOWED_AUDIO_FORMATS}: checked against what the decoder finds inside the
 *                       file, never against its name
 * @param dataDir        {@code DATA_DIR}: uploads in flight, job files and the default SQLite database
 * @param maxAudioMinutes {@code MAX_AUDIO_MINUTES}: longer audio is refused with 413 {@code audio_too_long}
 */
public record UploadConfig(long maxFileBytes, Set<String> allowedFormats, Path dataDir, int maxAudioMinutes) {
    public static final String DEFAULT_FORMATS = "mp3,wav,m4a,flac,ogg,opus,webm";
    /** Four hours: a long meeting or lecture; a 128 KB file whose header claims hours is refused at once. */
    public static final int DEFAULT_MAX_AUDIO_MINUTES = 240;

    public UploadConfig {
        allowedFormats = Set.copyOf(allowedFormats);
    }

    public UploadConfig(long maxFileBytes, Set<String> allowedFormats, Path dataDir) {
        this(maxFileBytes, allowedFormats, dataDir, DEFAULT_MAX_AUDIO_MINUTES);
    }

    /** @param dataDir {@code DATA_DIR} as the job back end reads it (one default for both) */
    static UploadConfig from(Settings s, Path dataDir) {
        long mb = s.integer("MAX_FILE_SIZE_MB", 200, 1, 1_000_000);
        Set<String> formats = Arrays.stream(s.string("ALLOWED_AUDIO_FORMATS", DEFAULT_FORMATS).split(","))
                .map(f -> f.strip().toLowerCase(Locale.ROOT).replaceFirst("^\\.", ""))
                .filter(f -> !f.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        for (String f : formats) {
            if (!f.matches("[a-z0-9]{2,10}")) {
                throw new ConfigException("ALLOWED_AUDIO_FORMATS=" + s.string("ALLOWED_AUDIO_FORMATS", "")
                        + " has an entry that is not a format name: '" + f + "' (expected e.g. " + DEFAULT_FORMATS
                        + ")");
            }
        }
        if (formats.isEmpty()) throw new ConfigException("ALLOWED_AUDIO_FORMATS is empty: name at least one format, "
                + "e.g. " + DEFAULT_FORMATS);
        int minutes = s.integer("MAX_AUDIO_MINUTES", DEFAULT_MAX_AUDIO_MINUTES, 1, 100_000);
        return new UploadConfig(mb * 1024 * 1024, formats, dataDir, minutes);
    }
}
