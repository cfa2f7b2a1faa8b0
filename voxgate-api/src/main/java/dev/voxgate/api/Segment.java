package dev.voxgate.api;

import java.util.List;

/**
 * A final result: one utterance as the engine closed it.
 *
 * @param start seconds from the start of the session's audio
 * @param end   seconds from the start of the session's audio
 * @param words the words with timings, empty when the engine cannot time words
 */
public record Segment(String text, double start, double end, List<Word> words) {
    public Segment {
        text = text == null ? "" : text.strip();
        words = List.copyOf(words);
        if (end < start) throw new IllegalArgumentException("segment ends before it starts: " + start + " > " + end);
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }
}
