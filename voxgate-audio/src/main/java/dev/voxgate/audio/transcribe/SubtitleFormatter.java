package dev.voxgate.audio.transcribe;

import dev.voxgate.api.Segment;

import java.util.Locale;

/**
 * Plain text, SRT and WebVTT renderings of a transcript. Segments without text are left out (as
 * in {@link Transcript#text()}): a cue without text is not a valid SRT or WebVTT cue. Subtitle cues
 * are cut by {@link CueRules} ({@link CueRules#DEFAULT} unless given), from the word times.
 */
public final class SubtitleFormatter {
    private SubtitleFormatter() {
    }

    public static String text(Transcript t) {
        StringBuilder sb = new StringBuilder();
        for (Segment s : t.segments()) {
            if (!s.isEmpty()) sb.append(s.text()).append('\n');
        }
        return sb.toString();
    }

    public static String srt(Transcript t) {
        return srt(t, CueRules.DEFAULT);
    }

    /** SRT with cues cut by {@code rules}, from the word times where the transcript has them. */
    public static String srt(Transcript t, CueRules rules) {
        StringBuilder sb = new StringBuilder();
        int n = 1;
        for (CueRules.Cue c : rules.cues(t)) {
            sb.append(n++).append('\n')
              .append(timestamp(c.start(), ',')).append(" --> ").append(timestamp(c.end(), ',')).append('\n')
              .append(c.text()).append("\n\n");
        }
        return sb.toString();
    }

    public static String vtt(Transcript t) {
        return vtt(t, CueRules.DEFAULT);
    }

    /** WebVTT with cues cut by {@code rules}, from the word times where the transcript has them. */
    public static String vtt(Transcript t, CueRules rules) {
        StringBuilder sb = new StringBuilder("WEBVTT\n\n");
        for (CueRules.Cue c : rules.cues(t)) {
            sb.append(timestamp(c.start(), '.')).append(" --> ").append(timestamp(c.end(), '.')).append('\n')
              .append(c.text()).append("\n\n");
        }
        return sb.toString();
    }

    /** {@code HH:MM:SS,mmm} (SRT) or {@code HH:MM:SS.mmm} (VTT). */
    static String timestamp(double seconds, char millisSeparator) {
        long ms = Math.round(Math.max(0, seconds) * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", ms / 3_600_000, (ms / 60_000) % 60, (ms / 1000) % 60,
                millisSeparator, ms % 1000);
    }
}
