package dev.voxgate.audio.transcribe;

import dev.voxgate.api.EngineException;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.PcmAudio;

import java.util.function.DoubleConsumer;

/**
 * Transcribes audio held in memory through a streaming engine session, as fast as the engine
 * goes: the path of {@code voxgate transcribe} and of the in-process baseline in tests and
 * benchmarks. Runs on the calling thread.
 */
public final class OfflineTranscriber {
    private final StreamingEngine engine;
    private final double chunkSeconds;

    public OfflineTranscriber(StreamingEngine engine) {
        this(engine, 0.1);
    }

    public OfflineTranscriber(StreamingEngine engine, double chunkSeconds) {
        this.engine = engine;
        this.chunkSeconds = chunkSeconds;
    }

    public Transcript transcribe(PcmAudio audio, String language) throws EngineException {
        return transcribe(audio, language, p -> { });
    }

    /**
     * @param progress receives the fraction of audio decoded so far, in [0, 1]
     */
    public Transcript transcribe(PcmAudio audio, String language, DoubleConsumer progress) throws EngineException {
        int rate = engine.descriptor().capabilities().preferredSampleRate();
        PcmAudio input = engine.descriptor().capabilities().acceptsSampleRate(audio.sampleRate())
                ? audio : audio.resampledTo(rate);
        short[] samples = input.samples();
        int step = Math.max(1, (int) (input.sampleRate() * chunkSeconds));
        Transcript t;
        try (SessionFeed feed = new SessionFeed(engine, input.sampleRate(), language, chunkSeconds)) {
            for (int pos = 0; pos < samples.length; pos += step) {
                int n = Math.min(step, samples.length - pos);
                feed.accept(samples, pos, n);
                progress.accept((pos + n) / (double) samples.length);
            }
            t = feed.finish(audio.seconds());
        }
        progress.accept(1.0);
        return t;
    }
}
