package dev.voxgate.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.api.Segment;
import dev.voxgate.api.Word;
import dev.voxgate.audio.transcribe.CueRules;
import dev.voxgate.audio.transcribe.SubtitleFormatter;
import dev.voxgate.audio.transcribe.Transcript;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place a transcript becomes a file: {@code txt}, {@code json}, {@code srt} and {@code vtt},
 * the same for a job's downloads, {@code voxgate transcribe} and the OpenAI route's text formats.
 * Segments without text are left out of every format; times are in seconds, to the millisecond.
 * Subtitle cues follow {@link CueRules} (42 characters a line, 2 lines, 7 s unless given).
 */
public final class TranscriptRenderer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TranscriptRenderer() {
    }

    /** {@code transcript.json}: docs/api.md describes the shape. */
    record TranscriptJson(String text, String language, double duration, String engine, List<SegmentJson> segments) {
    }

    record SegmentJson(int id, double start, double end, String text, List<WordJson> words) {
    }

    record WordJson(String word, double start, double end, double confidence) {
    }

    /**
     * @param engine   the engine that made the transcript, for the JSON file
     * @param language the language it was asked for, or null
     */
    public static String render(ResultFormat format, Transcript t, String engine, String language) {
        return render(format, t, engine, language, CueRules.DEFAULT);
    }

    /** As {@link #render(ResultFormat, Transcript, String, String)}, with SRT and WebVTT cues cut by {@code cues}. */
    public static String render(ResultFormat format, Transcript t, String engine, String language, CueRules cues) {
        return switch (format) {
            case TXT -> SubtitleFormatter.text(t);
            case SRT -> SubtitleFormatter.srt(t, cues);
            case VTT -> SubtitleFormatter.vtt(t, cues);
            case JSON -> json(t, engine, language);
        };
    }

    private static String json(Transcript t, String engine, String language) {
        List<SegmentJson> segments = new ArrayList<>();
        for (Segment s : t.segments()) {
            if (s.isEmpty()) continue;
            List<WordJson> words = new ArrayList<>();
            for (Word w : s.words()) words.add(new WordJson(w.word(), ms(w.start()), ms(w.end()), ms(w.confidence())));
            segments.add(new SegmentJson(segments.size(), ms(s.start()), ms(s.end()), s.text(), words));
        }
        try {
            TranscriptJson doc = new TranscriptJson(t.text(), language, ms(t.durationSeconds()), engine, segments);
            return JSON.writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double ms(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
