package dev.voxgate.engine.openai;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.engine.whisper.SpeechUtterances;

import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * One stream: Silero VAD cuts it into utterances, each is posted on the driving thread and its text becomes one final
 * with the utterance's times. No partials, no word times. Nothing is written to disk: the WAV is built in memory.
 *
 * <p>{@link #close()} may come from any thread: it cancels a post in flight (the driving thread then gets an
 * {@link IllegalStateException}) and waits for a final being delivered, so nothing is delivered after it returns.
 */
final class OpenAiSession implements RecognitionSession {
    private final OpenAiClient client;
    private final SpeechUtterances.Stream utterances;
    private final String language;
    private final RecognitionListener listener;
    private final OpenAiClient.Call call = new OpenAiClient.Call();
    private boolean finished;
    private volatile boolean closed;

    OpenAiSession(OpenAiClient client, SpeechUtterances.Stream utterances, String language,
            RecognitionListener listener) {
        this.client = client;
        this.utterances = utterances;
        this.language = language;
        this.listener = listener;
    }

    @Override
    public void accept(AudioChunk chunk) throws EngineException {
        if (closed || finished) throw new IllegalStateException("session already " + (closed ? "closed" : "finished"));
        post(utterances.accept(chunk.pcm()));
    }

    @Override
    public void finish() throws EngineException {
        if (closed) throw new IllegalStateException("session already closed");
        if (finished) return;
        finished = true;
        post(utterances.finish());
    }

    private void post(List<SpeechUtterances.Utterance> list) throws EngineException {
        for (SpeechUtterances.Utterance u : list) {
            if (closed) throw new IllegalStateException("session closed");
            String text;
            try {
                text = client.transcribe(u.pcm(), SpeechUtterances.SAMPLE_RATE, language, call);
            } catch (CancellationException e) {
                throw new IllegalStateException("session closed while its utterance was being transcribed");
            }
            Segment s = new Segment(text, u.start(), u.end(), List.of());
            if (s.isEmpty()) continue;
            synchronized (this) {
                if (closed) return;
                listener.onFinal(s);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        call.cancel();
        synchronized (this) {
            // waits for a final being delivered
        }
    }
}
