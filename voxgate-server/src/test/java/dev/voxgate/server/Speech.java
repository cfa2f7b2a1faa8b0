package dev.voxgate.server;

import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.WavReader;
import dev.voxgate.testkit.SpeechCorpus;
import dev.voxgate.testkit.Utterance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Test speech helpers: the corpus, its audio, and running work over it in parallel. */
public final class Speech {
    private static SpeechCorpus corpus;

    private Speech() {
    }

    public static synchronized SpeechCorpus corpus() {
        if (corpus == null) {
            corpus = SpeechCorpus.load();
            System.out.printf("[speech] %d utterances, %.1f s, from %s%n", corpus.utterances().size(),
                    corpus.totalSeconds(), corpus.source());
        }
        return corpus;
    }

    public static PcmAudio audio(Utterance u) {
        try {
            return WavReader.read(u.wav());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code work} for every utterance on {@code threads} threads; returns id → result. */
    public static Map<String, String> forEach(List<Utterance> utterances, int threads,
            Function<Utterance, String> work) {
        Map<String, String> out = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> futures = utterances.stream()
                    .map(u -> pool.submit(() -> out.put(u.id(), work.apply(u)))).toList();
            for (Future<String> f : futures) f.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
        return out;
    }
}
