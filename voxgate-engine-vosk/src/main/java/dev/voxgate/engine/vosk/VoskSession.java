package dev.voxgate.engine.vosk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionFailedException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.Word;
import org.vosk.Recognizer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One Vosk recognizer. Methods are synchronized so that a {@link #close()} from another thread
 * can never free the native recognizer while it is decoding.
 */
final class VoskSession implements RecognitionSession {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Recognizer recognizer;
    private final RecognitionListener listener;
    private String lastPartial = "";
    private boolean finished;
    private boolean closed;

    VoskSession(Recognizer recognizer, RecognitionListener listener) {
        this.recognizer = recognizer;
        this.listener = listener;
    }

    @Override
    public synchronized void accept(AudioChunk chunk) throws EngineException {
        if (closed || finished) throw new IllegalStateException("session already " + (closed ? "closed" : "finished"));
        try {
            if (recognizer.acceptWaveForm(chunk.pcm(), chunk.pcm().length)) {
                emitFinal(recognizer.getResult());
            } else {
                String partial = JSON.readTree(recognizer.getPartialResult()).path("partial").asText("");
                if (!partial.isEmpty() && !partial.equals(lastPartial)) {
                    lastPartial = partial;
                    listener.onPartial(partial);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new RecognitionFailedException("Vosk failed while decoding: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void finish() throws EngineException {
        if (closed) throw new IllegalStateException("session already closed");
        if (finished) return;
        finished = true;
        try {
            emitFinal(recognizer.getFinalResult());
        } catch (IOException | RuntimeException e) {
            throw new RecognitionFailedException("Vosk failed while flushing: " + e.getMessage(), e);
        }
    }

    private void emitFinal(String json) throws IOException {
        lastPartial = "";
        Segment segment = parseResult(JSON.readTree(json));
        if (!segment.isEmpty()) listener.onFinal(segment);
    }

    static Segment parseResult(JsonNode node) {
        List<Word> words = new ArrayList<>();
        for (JsonNode w : node.path("result")) {
            words.add(new Word(w.path("word").asText(), w.path("start").asDouble(), w.path("end").asDouble(),
                    w.path("conf").asDouble(1.0)));
        }
        String text = node.path("text").asText("");
        double start = words.isEmpty() ? 0 : words.get(0).start();
        double end = words.isEmpty() ? 0 : words.get(words.size() - 1).end();
        return new Segment(text, start, end, words);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        recognizer.close();
    }
}
