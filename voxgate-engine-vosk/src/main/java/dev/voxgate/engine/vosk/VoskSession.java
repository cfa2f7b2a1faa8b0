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

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One session on a Vosk recognizer, new or reused. Methods are synchronized so that a
 * {@link #close()} from another thread can never free the recognizer, or hand it to another
 * session, while it is decoding. On close the recognizer goes back to the engine, which may keep
 * it for a later session; after anything here threw it is marked as failed, and the engine closes
 * it instead (its native state is unknown).
 */
final class VoskSession implements RecognitionSession {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReusableRecognizer recognizer;
    private final RecognitionListener listener;
    private final Owner owner;
    private final double clockOffset;
    private String lastPartial = "";
    private boolean finished;
    private boolean failed;
    private boolean closed;

    VoskSession(ReusableRecognizer recognizer, RecognitionListener listener, Owner owner) {
        this.recognizer = recognizer;
        this.listener = listener;
        this.owner = owner;
        this.clockOffset = recognizer.clockOffsetSeconds();
    }

    @Override
    public synchronized void accept(AudioChunk chunk) throws EngineException {
        if (closed || finished) throw new IllegalStateException("session already " + (closed ? "closed" : "finished"));
        try {
            if (recognizer.accept(chunk.pcm(), chunk.pcm().length)) {
                emitFinal(recognizer.result());
            } else {
                String partial = JSON.readTree(recognizer.partialResult()).path("partial").asText("");
                if (!partial.isEmpty() && !partial.equals(lastPartial)) {
                    lastPartial = partial;
                    listener.onPartial(partial);
                }
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw new RecognitionFailedException("Vosk failed while decoding: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void finish() throws EngineException {
        if (closed) throw new IllegalStateException("session already closed");
        if (finished) return;
        finished = true;
        try {
            emitFinal(recognizer.finalResult());
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw new RecognitionFailedException("Vosk failed while flushing: " + e.getMessage(), e);
        }
    }

    private void emitFinal(String json) throws IOException {
        lastPartial = "";
        Segment segment = parseResult(JSON.readTree(json), clockOffset);
        if (!segment.isEmpty()) listener.onFinal(segment);
    }

    /** A Vosk result as a segment, its times moved {@code clockOffset} s earlier (see {@link ReusableRecognizer}). */
    static Segment parseResult(JsonNode node, double clockOffset) {
        List<Word> words = new ArrayList<>();
        for (JsonNode w : node.path("result")) {
            words.add(new Word(w.path("word").asText(), Math.max(0, w.path("start").asDouble() - clockOffset),
                    Math.max(0, w.path("end").asDouble() - clockOffset), w.path("conf").asDouble(1.0)));
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
        owner.release(recognizer, failed);
    }

    /** Where the recognizer goes when the session closes. */
    @FunctionalInterface
    interface Owner {
        /** Takes the recognizer back; {@code failed}: a call on it threw, so it must be closed, never reused. */
        void release(ReusableRecognizer recognizer, boolean failed);
    }
}
