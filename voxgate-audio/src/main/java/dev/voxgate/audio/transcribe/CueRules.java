package dev.voxgate.audio.transcribe;

import dev.voxgate.api.Segment;
import dev.voxgate.api.Word;

import java.util.ArrayList;
import java.util.List;

/**
 * How a transcript is cut into subtitle cues that can be read: at most {@code maxLines} lines of
 * {@code maxLineChars} characters and {@code maxCueSeconds} on screen per cue (the common broadcast
 * guidelines: 42 characters, 2 lines, 7 seconds). Cues follow the word times: a cue ends after a
 * sentence end or before a pause when it can, else at the last clause break that keeps it at least
 * half full, else where the next word would not fit. A cue never spans two segments. A segment
 * without word times has its words spread over its time by their length. A word longer than a line
 * gets a line of its own.
 *
 * @param maxLineChars  characters per line, {@value #MIN_LINE_CHARS} to {@value #MAX_LINE_CHARS}
 * @param maxLines      lines per cue, 1 to {@value #MAX_LINES}
 * @param maxCueSeconds seconds per cue, {@value #MIN_CUE_SECONDS} to {@value #MAX_CUE_SECONDS}
 */
public record CueRules(int maxLineChars, int maxLines, double maxCueSeconds) {
    public static final int MIN_LINE_CHARS = 10;
    public static final int MAX_LINE_CHARS = 200;
    public static final int MAX_LINES = 4;
    public static final double MIN_CUE_SECONDS = 1.0;
    public static final double MAX_CUE_SECONDS = 60.0;
    /** 42 characters, 2 lines, 7 seconds. */
    public static final CueRules DEFAULT = new CueRules(42, 2, 7.0);
    /** A silence this long between two words ends a cue (when the cue has some text). */
    static final double PAUSE_SECONDS = 0.5;
    /** A sentence end or a pause ends a cue only once it holds this many characters: no one-word flashes. */
    static final int MIN_BREAK_CHARS = 12;

    public CueRules {
        if (maxLineChars < MIN_LINE_CHARS || maxLineChars > MAX_LINE_CHARS) {
            throw new IllegalArgumentException("max_line_chars must be " + MIN_LINE_CHARS + " to " + MAX_LINE_CHARS
                    + ", not " + maxLineChars);
        }
        if (maxLines < 1 || maxLines > MAX_LINES) {
            throw new IllegalArgumentException("the lines per cue must be 1 to " + MAX_LINES + ", not " + maxLines);
        }
        if (!(maxCueSeconds >= MIN_CUE_SECONDS && maxCueSeconds <= MAX_CUE_SECONDS)) {
            throw new IllegalArgumentException("max_cue_seconds must be " + MIN_CUE_SECONDS + " to " + MAX_CUE_SECONDS
                    + ", not " + maxCueSeconds);
        }
    }

    /** One subtitle: its time on screen and its lines. */
    public record Cue(double start, double end, List<String> lines) {
        public Cue {
            lines = List.copyOf(lines);
        }

        public String text() {
            return String.join("\n", lines);
        }
    }

    /** The cues of every non-empty segment, in order. */
    public List<Cue> cues(Transcript t) {
        List<Cue> cues = new ArrayList<>();
        for (Segment s : t.segments()) {
            if (!s.isEmpty()) cues(s, cues);
        }
        return cues;
    }

    private void cues(Segment s, List<Cue> out) {
        List<Word> words = s.words().isEmpty() ? spread(s) : s.words();
        int first = 0;
        while (first < words.size()) {
            int end = cueEnd(words, first);
            List<Word> cue = words.subList(first, end);
            out.add(new Cue(cue.get(0).start(), Math.max(cue.get(0).start(), cue.get(cue.size() - 1).end()),
                    lines(cue.stream().map(Word::word).toList())));
            first = end;
        }
    }

    /** The end (exclusive) of the cue that starts at word {@code first}. */
    private int cueEnd(List<Word> words, int first) {
        int clauseBreak = -1;
        for (int i = first; i < words.size(); i++) {
            List<String> texts = words.subList(first, i + 1).stream().map(Word::word).toList();
            boolean fits = i == first || (lines(texts).size() <= maxLines && fitsLines(lines(texts))
                    && words.get(i).end() - words.get(first).start() <= maxCueSeconds);
            if (!fits) {
                int chars = length(words.subList(first, i));
                return clauseBreak > first && length(words.subList(first, clauseBreak)) * 2 >= chars ? clauseBreak : i;
            }
            if (i + 1 == words.size()) return i + 1;
            String w = words.get(i).word();
            boolean enoughText = length(words.subList(first, i + 1)) >= MIN_BREAK_CHARS;
            boolean pause = words.get(i + 1).start() - words.get(i).end() >= PAUSE_SECONDS;
            if (enoughText && (endsSentence(w) || pause)) return i + 1;
            if (w.endsWith(",") || w.endsWith(";") || w.endsWith(":")) clauseBreak = i + 1;
        }
        return words.size();
    }

    private boolean fitsLines(List<String> lines) {
        return lines.stream().allMatch(l -> l.length() <= maxLineChars || !l.contains(" "));
    }

    /**
     * The words on as few lines as fit {@code maxLineChars}, with the lines as even as possible when
     * there are two or more (a short last line reads badly).
     */
    List<String> lines(List<String> words) {
        List<String> greedy = wrap(words, maxLineChars);
        if (greedy.size() < 2) return greedy;
        // The narrowest width that still needs no more lines than the greedy wrap: evens the lines out.
        int lo = 1;
        int hi = maxLineChars;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (wrap(words, mid).size() <= greedy.size()) hi = mid;
            else lo = mid + 1;
        }
        return wrap(words, lo);
    }

    private static List<String> wrap(List<String> words, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String w : words) {
            if (!line.isEmpty() && line.length() + 1 + w.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) line.append(' ');
            line.append(w);
        }
        if (!line.isEmpty()) lines.add(line.toString());
        return lines;
    }

    private static int length(List<Word> words) {
        return words.stream().mapToInt(w -> w.word().length() + 1).sum() - 1;
    }

    private static boolean endsSentence(String word) {
        String w = word.replaceAll("[\"'”’)\\]]+$", "");
        return w.endsWith(".") || w.endsWith("?") || w.endsWith("!") || w.endsWith("…");
    }

    /** A segment's words with times shared out over the segment by their length, for a segment without word times. */
    static List<Word> spread(Segment s) {
        String[] tokens = s.text().split("\\s+");
        int chars = tokens.length - 1; // the spaces between them take time too
        for (String t : tokens) chars += t.length();
        double perChar = (s.end() - s.start()) / chars;
        List<Word> words = new ArrayList<>(tokens.length);
        double t = s.start();
        for (int i = 0; i < tokens.length; i++) {
            double end = i == tokens.length - 1 ? s.end() : Math.min(s.end(), t + perChar * tokens[i].length());
            words.add(new Word(tokens[i], t, Math.max(t, end), 1.0));
            t = Math.min(s.end(), end + perChar);
        }
        return words;
    }
}
