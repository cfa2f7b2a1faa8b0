package dev.voxgate.engine.twopass;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.SpeechEngine;
import dev.voxgate.api.SpeechEngineProvider;
import dev.voxgate.api.StreamingEngine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code engine=vosk+whisper}: Vosk's partials and utterance boundaries, Whisper's finals. Loads no
 * model: it waits for the process's {@code vosk} and {@code whisper} engines and shares them.
 */
public final class TwoPassEngineProvider implements SpeechEngineProvider {
    public static final String ID = "vosk+whisper";
    static final String FIRST = "vosk";
    static final String SECOND = "whisper";
    /** Loading both models takes seconds; a first start also extracts them. */
    private static final Duration LOAD_WAIT = Duration.ofMinutes(5);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public EngineCapabilities capabilities() {
        return new EngineCapabilities(true, true, true, List.of(16000), 16000, List.of("en"));
    }

    @Override
    public SpeechEngine create(EngineContext context) throws EngineException {
        StreamingEngine first = need(context, FIRST);
        StreamingEngine second = need(context, SECOND);
        return new TwoPassEngine(ID, first, second);
    }

    private static StreamingEngine need(EngineContext context, String id) throws EngineException {
        Optional<StreamingEngine> engine;
        try {
            engine = context.engines().await(id, LOAD_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted while waiting for engine " + id, e);
        }
        return engine.orElseThrow(() ->
                new EngineUnavailableException("the two-pass engine " + ID + " needs the engine '" + id
                + "', which is not installed or did not load (see its own status in /api/modules_info)"));
    }
}
