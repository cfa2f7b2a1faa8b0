package dev.voxgate.jobs.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.api.Segment;
import dev.voxgate.api.Word;
import dev.voxgate.audio.transcribe.SubtitleFormatter;
import dev.voxgate.audio.transcribe.Transcript;
import dev.voxgate.jobs.JobRequest;
import dev.voxgate.jobs.ResultFormat;
import dev.voxgate.jobs.storage.BlobKey;
import dev.voxgate.jobs.storage.BlobStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Renders a transcript in every {@link ResultFormat} and stores the files. */
public final class ResultWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlobStore blobs;

    public ResultWriter(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** The JSON file's shape. Segments without text are left out, as in the other formats. */
    record TranscriptJson(String text, String language, double duration, String engine, List<SegmentJson> segments) {
    }

    record SegmentJson(int id, double start, double end, String text, List<WordJson> words) {
    }

    record WordJson(String word, double start, double end, double confidence) {
    }

    /**
     * Writes all four formats (they are small, and any can be asked for later).
     *
     * @return the keys written, in {@link ResultFormat} order
     */
    public List<String> write(UUID jobId, Transcript transcript, JobRequest request) throws IOException {
        List<String> keys = new ArrayList<>();
        for (ResultFormat f : ResultFormat.values()) {
            BlobKey key = BlobKey.result(jobId, f);
            blobs.put(key, new ByteArrayInputStream(render(f, transcript, request)));
            keys.add(key.value());
        }
        return keys;
    }

    public static byte[] render(ResultFormat format, Transcript t, JobRequest request) {
        String text = switch (format) {
            case TXT -> SubtitleFormatter.text(t);
            case SRT -> SubtitleFormatter.srt(t);
            case VTT -> SubtitleFormatter.vtt(t);
            case JSON -> json(t, request);
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String json(Transcript t, JobRequest request) {
        List<SegmentJson> segments = new ArrayList<>();
        for (Segment s : t.segments()) {
            if (s.isEmpty()) continue;
            List<WordJson> words = new ArrayList<>();
            for (Word w : s.words()) words.add(new WordJson(w.word(), w.start(), w.end(), w.confidence()));
            segments.add(new SegmentJson(segments.size(), s.start(), s.end(), s.text(), words));
        }
        try {
            return JSON.writeValueAsString(new TranscriptJson(t.text(), request.language(), t.durationSeconds(),
                    request.engine(), segments));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
