package dev.voxgate.api;

/**
 * One recognised word with its timing in seconds from the start of the session's audio.
 *
 * @param confidence in [0, 1]; engines that do not score words report 1.0
 */
public record Word(String word, double start, double end, double confidence) {
    public Word {
        if (word == null || word.isBlank()) throw new IllegalArgumentException("word must not be blank");
        if (end < start) throw new IllegalArgumentException("word ends before it starts: " + start + " > " + end);
    }
}
