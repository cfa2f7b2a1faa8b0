package dev.voxgate.bench.raw;

import dev.voxgate.api.EngineException;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.Pcm16;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.transcribe.OfflineTranscriber;
import dev.voxgate.bench.load.Clip;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The physical limit of an engine on this machine: the same clips decoded in-process, one
 * recognizer per clip, on {@code threads} platform threads, with no server and no network, in the
 * same 100 ms chunks the server would feed.
 */
public final class RawCeiling {
    private RawCeiling() {
    }

    /**
     * @param decodeSeconds the summed time spent decoding, over all threads
     * @param hypotheses    clip id → text
     */
    public record Result(int threads, double audioSeconds, double wallSeconds, double decodeSeconds,
            Map<String, String> hypotheses) {
        public double throughputXRealtime() {
            return audioSeconds / wallSeconds;
        }

        /** Decode time per second of audio for one stream (the engine's real-time factor). */
        public double realTimeFactor() {
            return decodeSeconds / audioSeconds;
        }
    }

    public static Result run(StreamingEngine engine, List<Clip> clips, int threads) {
        OfflineTranscriber transcriber = new OfflineTranscriber(engine, 0.1);
        ConcurrentLinkedQueue<Clip> queue = new ConcurrentLinkedQueue<>(clips);
        Map<String, String> hyps = new ConcurrentHashMap<>();
        AtomicLong decodeNanos = new AtomicLong();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                workers.add(pool.submit(() -> {
                    for (Clip c; (c = queue.poll()) != null; ) {
                        long s = System.nanoTime();
                        try {
                            hyps.put(c.id(),
                                    transcriber.transcribe(new PcmAudio(c.sampleRate(), Pcm16.toSamples(c.pcm())), null)
                                    .text());
                        } catch (EngineException e) {
                            throw new IllegalStateException("raw decoding of " + c.id() + " failed: " + e.getMessage(),
                                    e);
                        }
                        decodeNanos.addAndGet(System.nanoTime() - s);
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) f.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double audio = clips.stream().mapToDouble(Clip::seconds).sum();
        return new Result(threads, audio, wall, decodeNanos.get() / 1e9, Map.copyOf(hyps));
    }
}
