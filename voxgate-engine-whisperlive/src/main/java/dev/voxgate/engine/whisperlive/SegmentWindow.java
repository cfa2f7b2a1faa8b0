package dev.voxgate.engine.whisperlive;

import dev.voxgate.api.Segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the server's re-sent windows of segments into Voxgate's partials and finals, without I/O.
 *
 * <p>The server sends, again and again, its last completed segments and the segment it is still recognising. A
 * completed segment becomes exactly one final, the first time it is seen; the server's segments start in order (each
 * transcription starts where the last completed segment ended), so a completed segment is new when it starts after
 * the last final's start, however far the window has slid since. The last segment, when not completed, is the
 * partial (sent only when its text changes). At the end of the stream, {@link #flush()} makes the incomplete segment
 * the server left the last final: the server completes a segment only when more audio follows it.
 *
 * <p>Not thread-safe: the session's driving thread owns it.
 */
final class SegmentWindow {
    /** Times come with three decimals; a start within half a millisecond of the last final's is that final again. */
    private static final double SAME_TIME = 0.0005;

    /** What one window means for the listener, in order. */
    sealed interface Update {
        record Partial(String text) implements Update {
        }

        record Final(Segment segment) implements Update {
        }
    }

    private double lastFinalStart = Double.NEGATIVE_INFINITY;
    private String partial; // the partial last given, null at the start of an utterance
    private WhisperLiveSegment incomplete; // the last window's incomplete segment, if it had one
    private double reached; // the latest end of any segment seen

    List<Update> accept(List<WhisperLiveSegment> window) {
        List<Update> out = new ArrayList<>();
        for (WhisperLiveSegment s : window) reached = Math.max(reached, s.end());
        for (WhisperLiveSegment s : window) {
            if (!s.completed() || !isNew(s)) continue;
            lastFinalStart = s.start();
            Segment seg = segment(s);
            if (!seg.isEmpty()) {
                out.add(new Update.Final(seg));
                partial = null;
            }
        }
        if (window.isEmpty()) return out;
        WhisperLiveSegment last = window.getLast();
        if (last.completed() || !isNew(last)) {
            incomplete = null;
            return out;
        }
        incomplete = last;
        String text = last.text().strip();
        if (!text.isEmpty() && !text.equals(partial)) {
            out.add(new Update.Partial(text));
            partial = text;
        }
        return out;
    }

    /** How far into the audio the server's segments have reached, in seconds. */
    double reachedSeconds() {
        return reached;
    }

    /** The stream has ended: the incomplete segment the server left, if any, as the last final. */
    Optional<Segment> flush() {
        WhisperLiveSegment last = incomplete;
        incomplete = null;
        partial = null;
        if (last == null || !isNew(last)) return Optional.empty();
        lastFinalStart = last.start();
        Segment seg = segment(last);
        return seg.isEmpty() ? Optional.empty() : Optional.of(seg);
    }

    private boolean isNew(WhisperLiveSegment s) {
        return s.start() > lastFinalStart + SAME_TIME;
    }

    private static Segment segment(WhisperLiveSegment s) {
        return new Segment(s.text(), s.start(), Math.max(s.start(), s.end()), List.of());
    }
}
