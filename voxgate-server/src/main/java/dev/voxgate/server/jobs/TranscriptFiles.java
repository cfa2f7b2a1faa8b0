package dev.voxgate.server.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.api.Segment;
import dev.voxgate.api.Word;
import dev.voxgate.audio.transcribe.SubtitleFormatter;
import dev.voxgate.audio.transcribe.Transcript;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The transcript formats a job can produce, and their bytes and content types. */
public final class TranscriptFiles {
    public static final List<String> FORMATS = List.of("txt", "json", "srt", "vtt");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TranscriptFiles() {
    }

    public static boolean isFormat(String f) {
        return FORMATS.contains(f);
    }

    public static String contentType(String format) {
        return switch (format) {
            case "json" -> "application/json";
            case "srt" -> "application/x-subrip; charset=utf-8";
            case "vtt" -> "text/vtt; charset=utf-8";
            default -> "text/plain; charset=utf-8";
        };
    }

    public static byte[] render(String format, Transcript t, String engine, String language) {
        String text = switch (format) {
            case "srt" -> SubtitleFormatter.srt(t);
            case "vtt" -> SubtitleFormatter.vtt(t);
            case "json" -> json(t, engine, language);
            default -> SubtitleFormatter.text(t);
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String json(Transcript t, String engine, String language) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("text", t.text());
        out.put("language", language);
        out.put("duration", t.durationSeconds());
        out.put("engine", engine);
        List<Map<String, Object>> segments = new ArrayList<>();
        int id = 0;
        for (Segment s : t.segments()) {
            if (s.isEmpty()) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id++);
            m.put("start", s.start());
            m.put("end", s.end());
            m.put("text", s.text());
            List<Map<String, Object>> words = new ArrayList<>();
            for (Word w : s.words()) words.add(Map.of("word", w.word(), "start", w.start(), "end", w.end(), "confidence", w.confidence()));
            m.put("words", words);
            segments.add(m);
        }
        out.put("segments", segments);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Set<String> all() {
        return Set.copyOf(FORMATS);
    }
}
