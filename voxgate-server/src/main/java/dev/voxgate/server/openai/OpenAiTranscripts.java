package dev.voxgate.server.openai;

import dev.voxgate.api.Segment;
import dev.voxgate.api.Word;
import dev.voxgate.audio.transcribe.Transcript;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;

/**
 * OpenAI's {@code verbose_json} transcription shape from a Voxgate transcript. Fields Whisper
 * computes from its decoder are filled from what the engine gives: {@code avg_logprob} is the
 * mean log of the word confidences (0 when the engine gives none), {@code compression_ratio} is
 * computed from the text as Whisper does, and {@code temperature}, {@code no_speech_prob} and
 * {@code tokens} are 0 / empty because no sampling or token-level model is involved.
 */
final class OpenAiTranscripts {
    private OpenAiTranscripts() {
    }

    static Map<String, Object> verbose(Transcript t, String language, Set<String> granularities) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", "transcribe");
        out.put("language", languageName(language));
        out.put("duration", round(t.durationSeconds()));
        out.put("text", t.text());
        List<Segment> spoken = t.segments().stream().filter(s -> !s.isEmpty()).toList();
        if (granularities.contains("segment")) {
            List<Map<String, Object>> segments = new ArrayList<>();
            for (int i = 0; i < spoken.size(); i++) segments.add(segment(i, spoken.get(i)));
            out.put("segments", segments);
        }
        if (granularities.contains("word")) {
            List<Map<String, Object>> words = new ArrayList<>();
            for (Segment s : spoken) {
                for (Word w : s.words()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("word", w.word());
                    m.put("start", round(w.start()));
                    m.put("end", round(w.end()));
                    words.add(m);
                }
            }
            out.put("words", words);
        }
        return out;
    }

    private static Map<String, Object> segment(int id, Segment s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("seek", 0);
        m.put("start", round(s.start()));
        m.put("end", round(s.end()));
        m.put("text", s.text());
        m.put("tokens", List.of());
        m.put("temperature", 0.0);
        m.put("avg_logprob",
                round(s.words().stream().mapToDouble(w -> Math.log(Math.max(1e-6, Math.min(1.0, w.confidence()))))
                        .average().orElse(0)));
        m.put("compression_ratio", round(compressionRatio(s.text())));
        m.put("no_speech_prob", 0.0);
        return m;
    }

    /** Whisper's repetition signal: text bytes over their zlib-compressed size. */
    static double compressionRatio(String text) {
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        if (raw.length == 0) return 0;
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(raw);
        deflater.finish();
        byte[] buf = new byte[raw.length + 64];
        int n = deflater.deflate(buf);
        deflater.end();
        return raw.length / (double) Math.max(1, n);
    }

    /** OpenAI reports the language by its English name ("english"), lower case. */
    static String languageName(String tag) {
        if (tag == null || tag.isBlank()) return "english";
        String name = Locale.forLanguageTag(tag.replace('_', '-')).getDisplayLanguage(Locale.ENGLISH);
        return name.isBlank() ? tag : name.toLowerCase(Locale.ROOT);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
