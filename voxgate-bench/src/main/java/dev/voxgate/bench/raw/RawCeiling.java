package dev.voxgate.bench.raw;

import com.sun.management.OperatingSystemMXBean;
import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.Pcm16;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.transcribe.OfflineTranscriber;
import dev.voxgate.bench.load.Clip;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
 *
 * <p>Two paths, because the engines treat them differently (a Whisper session for a whole
 * recording decodes it once at the end, a live one pause by pause): {@link #run} opens live
 * sessions, the path a {@code /v1/listen} stream takes, so streaming scenarios compare like with
 * like; {@link #files} opens whole-recording sessions, as {@code /api/jobs} and the CLI do.
 */
public final class RawCeiling {
    private static final double CHUNK_SECONDS = 0.1;

    private RawCeiling() {
    }

    /**
     * @param decodeSeconds       the summed time spent decoding, over all threads
     * @param hypotheses          clip id → text
     * @param firstPartialSeconds clip id → seconds of audio after the clip's speech onset that the engine needed
     *                            before its first non-empty partial (live runs; clips without a partial are absent):
     *                            the engine's own share of first-partial latency, which no server can remove
     * @param cpuSeconds          CPU time this process spent meanwhile, on every thread: more than
     *                            {@code decodeSeconds} when the engine works on threads of its own (the two-pass
     *                            engine decodes ahead beside the feeding thread)
     */
    public record Result(int threads, double audioSeconds, double wallSeconds, double decodeSeconds,
            Map<String, String> hypotheses, Map<String, Double> firstPartialSeconds, double cpuSeconds) {
        public double throughputXRealtime() {
            return audioSeconds / wallSeconds;
        }

        /** Decode time per second of audio for one stream (the engine's real-time factor). */
        public double realTimeFactor() {
            return decodeSeconds / audioSeconds;
        }

        /** CPU seconds per second of audio, the cost a stream puts on the cores whatever threads it uses. */
        public double cpuRealTimeFactor() {
            return Math.max(cpuSeconds, decodeSeconds) / audioSeconds;
        }
    }

    /** Live sessions, as a {@code /v1/listen} stream: 100 ms chunks, partials timed. */
    public static Result run(StreamingEngine engine, List<Clip> clips, int threads) {
        Map<String, Double> firstPartial = new ConcurrentHashMap<>();
        return decodeAll(clips, threads, firstPartial, c -> live(engine, c, firstPartial, false));
    }

    /**
     * For each clip, the seconds of audio after its speech onset that the engine needed before its
     * first non-empty partial, fed live in 100 ms chunks on this thread; each clip stops at its
     * first partial. Clips that never give one are absent.
     */
    public static Map<String, Double> firstPartialSeconds(StreamingEngine engine, List<Clip> clips) {
        Map<String, Double> firstPartial = new ConcurrentHashMap<>();
        for (Clip c : clips) {
            try {
                live(engine, c, firstPartial, true);
            } catch (EngineException e) {
                throw new IllegalStateException("raw decoding of " + c.id() + " failed: " + e.getMessage(), e);
            }
        }
        return Map.copyOf(firstPartial);
    }

    /** Whole-recording sessions, as a job or {@code voxgate transcribe}. */
    public static Result files(StreamingEngine engine, List<Clip> clips, int threads) {
        OfflineTranscriber transcriber = new OfflineTranscriber(engine, CHUNK_SECONDS);
        return decodeAll(clips, threads, Map.of(), c -> transcriber.transcribe(
                new PcmAudio(c.sampleRate(), Pcm16.toSamples(c.pcm())), null).text());
    }

    private interface ClipDecoder {
        String decode(Clip clip) throws EngineException;
    }

    private static String live(StreamingEngine engine, Clip clip, Map<String, Double> firstPartial,
                               boolean untilFirstPartial) throws EngineException {
        var caps = engine.descriptor().capabilities();
        PcmAudio audio = new PcmAudio(clip.sampleRate(), Pcm16.toSamples(clip.pcm()));
        if (!caps.acceptsSampleRate(audio.sampleRate())) audio = audio.resampledTo(caps.preferredSampleRate());
        short[] samples = audio.samples();
        int step = Math.max(1, (int) (audio.sampleRate() * CHUNK_SECONDS));
        // Engines may call back from their own threads (the two-pass engine's second pass).
        List<String> finals = Collections.synchronizedList(new ArrayList<>());
        AtomicLong fedSamples = new AtomicLong();
        double rate = audio.sampleRate();
        RecognitionListener listener = new RecognitionListener() {
            @Override
            public void onPartial(String text) {
                double fed = fedSamples.get() / rate;
                if (!text.isBlank() && fed > clip.onsetSeconds()) {
                    firstPartial.putIfAbsent(clip.id(), fed - clip.onsetSeconds());
                }
            }

            @Override
            public void onFinal(Segment segment) {
                if (!segment.isEmpty()) finals.add(segment.text());
            }
        };
        try (RecognitionSession session = engine.open(new SessionOptions(audio.sampleRate(), null), listener)) {
            for (int pos = 0; pos < samples.length; pos += step) {
                if (untilFirstPartial && firstPartial.containsKey(clip.id())) return "";
                int end = Math.min(samples.length, pos + step);
                fedSamples.set(end);
                session.accept(new AudioChunk(Pcm16.toBytes(Arrays.copyOfRange(samples, pos, end))));
            }
            session.finish();
        }
        synchronized (finals) {
            return String.join(" ", finals);
        }
    }

    private static Result decodeAll(List<Clip> clips, int threads, Map<String, Double> firstPartial,
                                    ClipDecoder decoder) {
        ConcurrentLinkedQueue<Clip> queue = new ConcurrentLinkedQueue<>(clips);
        Map<String, String> hyps = new ConcurrentHashMap<>();
        AtomicLong decodeNanos = new AtomicLong();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                workers.add(pool.submit(() -> {
                    for (Clip c; (c = queue.poll()) != null; ) {
                        long s = System.nanoTime();
                        try {
                            hyps.put(c.id(), decoder.decode(c));
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
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        double audio = clips.stream().mapToDouble(Clip::seconds).sum();
        return new Result(threads, audio, wall, decodeNanos.get() / 1e9, Map.copyOf(hyps), Map.copyOf(firstPartial),
                cpu);
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }
}
