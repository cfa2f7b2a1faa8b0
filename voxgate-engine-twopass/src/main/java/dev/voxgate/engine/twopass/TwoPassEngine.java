package dev.voxgate.engine.twopass;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineDescriptor;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.api.UnsupportedAudioException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two engines as one: {@code first} is fed every chunk and gives the partials and the utterance
 * boundaries; when it closes an utterance, that stretch of audio is decoded by {@code second},
 * whose text is the final. Does not own the engines: {@link #close()} leaves them open for their
 * other users, and only stops the decodes its sessions started ahead of their finals.
 */
public final class TwoPassEngine implements StreamingEngine {
    private final StreamingEngine first;
    private final StreamingEngine second;
    private final EngineDescriptor descriptor;
    private final SpeculativeDecodes ahead = new SpeculativeDecodes(Runtime.getRuntime().availableProcessors());

    public TwoPassEngine(String id, StreamingEngine first, StreamingEngine second) {
        this.first = first;
        this.second = second;
        EngineCapabilities a = first.descriptor().capabilities(), b = second.descriptor().capabilities();
        List<Integer> rates = a.sampleRates().stream().filter(b::acceptsSampleRate).toList();
        if (rates.isEmpty()) {
            throw new IllegalArgumentException(first.descriptor().id() + " and " + second.descriptor().id()
                    + " share no sample rate");
        }
        int preferred = rates.contains(a.preferredSampleRate()) ? a.preferredSampleRate() : rates.get(0);
        List<String> languages = a.languages().stream().filter(b::supportsLanguage).toList();
        EngineCapabilities caps =
                new EngineCapabilities(true, a.partials(), a.wordTimings(), rates, preferred, languages);
        Map<String, String> model = new LinkedHashMap<>();
        model.put("partials", first.descriptor().id());
        model.put("finals", second.descriptor().id());
        first.descriptor().model().forEach((k, v) -> model.put(first.descriptor().id() + "." + k, v));
        second.descriptor().model().forEach((k, v) -> model.put(second.descriptor().id() + "." + k, v));
        this.descriptor =
                new EngineDescriptor(id, "partials from " + first.descriptor().id() + ", finals re-decoded by "
                + second.descriptor().id(), first.descriptor().version() + " + " + second.descriptor().version(), caps,
                model);
    }

    @Override
    public EngineDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public boolean isReady() {
        return first.isReady() && second.isReady();
    }

    @Override
    public RecognitionSession open(SessionOptions options, RecognitionListener listener) throws EngineException {
        if (!descriptor.capabilities().acceptsSampleRate(options.sampleRate())) {
            throw new UnsupportedAudioException(descriptor.id() + " takes " + descriptor.capabilities().sampleRates()
                    + " Hz audio, not " + options.sampleRate());
        }
        if (!descriptor.capabilities().supportsLanguage(options.language())) {
            throw new UnsupportedAudioException(descriptor.id() + " recognises " + descriptor.capabilities().languages()
                    + ", not '" + options.language() + "'");
        }
        if (!isReady()) throw new EngineUnavailableException(descriptor.id()
                + " is not ready: one of its engines is shut down");
        return new TwoPassSession(first, second, ahead, options, listener);
    }

    /** The two engines belong to the process, not to this view of them. */
    @Override
    public void close() {
        ahead.close();
    }
}
