package dev.voxgate.audio.transcribe;

import dev.voxgate.api.Segment;

import java.util.List;
import java.util.stream.Collectors;

/** The finals of a whole recording, in order. */
public record Transcript(List<Segment> segments, double durationSeconds) {
    public Transcript {
        segments = List.copyOf(segments);
    }

    /** The text of all non-empty segments joined with spaces. */
    public String text() {
        return segments.stream().map(Segment::text).filter(t -> !t.isEmpty()).collect(Collectors.joining(" "));
    }
}
