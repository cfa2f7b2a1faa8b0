package dev.voxgate.server.files;

import java.util.Set;

/**
 * What a file must be to be transcribed.
 *
 * @param allowedFormats  {@code ALLOWED_AUDIO_FORMATS}, matched against what the decoder finds inside the file;
 *                        empty for any format (the command line, where the user owns the file)
 * @param maxAudioSeconds {@code MAX_AUDIO_MINUTES} in seconds: longer audio is {@code audio_too_long}, whether the
 *                        header says so or the decoded samples show it (a header can lie)
 */
public record FileLimits(Set<String> allowedFormats, double maxAudioSeconds) {
    /**
     * Below this no recording is speech; a header claiming it is broken or hostile (60 Hz reads 128 KB as 18 minutes).
     */
    public static final int MIN_SAMPLE_RATE = 8_000;
    /** The highest rate audio hardware records at; beyond it a header is not audio. */
    public static final int MAX_SAMPLE_RATE = 192_000;

    public FileLimits {
        allowedFormats = Set.copyOf(allowedFormats);
    }
}
