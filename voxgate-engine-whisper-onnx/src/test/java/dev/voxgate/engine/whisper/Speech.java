package dev.voxgate.engine.whisper;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.Pcm16;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.WavReader;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import dev.voxgate.testkit.EnglishTextNormalizer;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Test helpers: the shared engine, feeding audio through a session, scoring. */
final class Speech {
    static final int RATE = 16000;
    /** The build's own cache folder, so tests never touch the user's. */
    static final Path CACHE = Path.of("target", "voxgate-cache").toAbsolutePath();

    private static StreamingEngine shared;
    private static SileroVad vad;
    private static final Map<Utterance, String> ALONE = new ConcurrentHashMap<>();

    private Speech() {
    }

    /** One engine for all test classes in this JVM: loading is the slow part, and the engine is meant to be shared. */
    static synchronized StreamingEngine engine() throws EngineException {
        if (shared == null) shared = (StreamingEngine) new WhisperEngineProvider()
                .create(new EngineContext(Map.of(), CACHE));
        return shared;
    }

    /** What one session produced, and how long it took. */
    record Run(List<Segment> finals, int partials, double wallSeconds, double audioSeconds) {
        String text() {
            return finals.stream().map(Segment::text).filter(t -> !t.isEmpty()).collect(Collectors.joining(" "));
        }
    }

    /**
     * Feeds {@code pcm} through one session in chunks of {@code chunkSeconds}, as a client or {@code voxgate
     * transcribe} does.
     */
    static Run transcribe(StreamingEngine engine, short[] pcm, double chunkSeconds) throws EngineException {
        List<Segment> finals = new ArrayList<>();
        int[] partials = {0};
        RecognitionListener listener = new RecognitionListener() {
            @Override
            public void onPartial(String text) {
                partials[0]++;
            }

            @Override
            public void onFinal(Segment segment) {
                finals.add(segment);
            }
        };
        int step = Math.max(1, (int) Math.round(RATE * chunkSeconds));
        long t0 = System.nanoTime();
        try (RecognitionSession s = engine.open(new SessionOptions(RATE, "en"), listener)) {
            for (int pos = 0; pos < pcm.length; pos += step) {
                s.accept(new AudioChunk(Pcm16.toBytes(pcm, pos, Math.min(step, pcm.length - pos))));
            }
            s.finish();
        }
        return new Run(finals, partials[0], (System.nanoTime() - t0) / 1e9, pcm.length / (double) RATE);
    }

    /**
     * What the shared engine hears in the whole recording on its own (one session, 0.1 s chunks),
     * remembered for this JVM: the baseline a test holds the engine to when the speech is not the
     * team's set, whose absolute bounds do not carry over to other recordings.
     */
    static String aloneText(Utterance u) throws EngineException {
        String text = ALONE.get(u);
        if (text == null) {
            text = transcribe(engine(), read(u), 0.1).text();
            ALONE.put(u, text);
        }
        return text;
    }

    /** The number of words in {@code text} after {@link EnglishTextNormalizer}, as the normalised WER counts them. */
    static int words(String text) {
        return EnglishTextNormalizer.words(text).size();
    }

    static short[] read(Utterance u) {
        try {
            PcmAudio audio = WavReader.read(u.wav());
            if (audio.sampleRate() != RATE) throw new IllegalStateException(u.wav() + " is not 16 kHz");
            return audio.samples();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mean power of each whole window of {@code win} samples. */
    private static double[] windowEnergies(short[] pcm, int win) {
        double[] energy = new double[pcm.length / win];
        for (int w = 0; w < energy.length; w++) {
            double sum = 0;
            for (int k = w * win; k < (w + 1) * win; k++) sum += pcm[k] * (double) pcm[k];
            energy[w] = sum / win;
        }
        return energy;
    }

    /**
     * The recording without its leading and trailing silence: from the first to the last 10 ms
     * window within 40 dB of the loudest one, keeping 30 ms on each side.
     */
    static short[] trimmed(short[] pcm) {
        int[] speech = speechExtent(pcm);
        return Arrays.copyOfRange(pcm, speech[0], speech[1]);
    }

    /** Where {@link #trimmed} cuts the recording: {@code {from, to}} in samples. */
    static int[] speechExtent(short[] pcm) {
        int win = RATE / 100;
        double[] energy = windowEnergies(pcm, win);
        int n = energy.length;
        double threshold = Arrays.stream(energy).max().orElse(0) * 1e-4;
        int first = 0, last = n - 1;
        while (first < n && energy[first] < threshold) first++;
        while (last > first && energy[last] < threshold) last--;
        return new int[] {Math.max(0, (first - 3) * win), Math.min(pcm.length, (last + 4) * win)};
    }

    /**
     * The recording with no pause the engine's VAD could end an utterance at: cut to its first and
     * last 32 ms frames that Silero scores as speech (at or above the segmenter's end threshold),
     * with {@code maxGapMs / 2} kept on each side, and every run of frames scored below it inside
     * shortened to {@code maxGapMs}. Such pieces joined one after another are one unbroken utterance
     * to the VAD whatever the voice or the room (a level threshold let breaths and noisy pauses
     * through). Empty if Silero hears no speech in it.
     */
    static short[] withoutPauses(short[] pcm, int maxGapMs) throws EngineException {
        int frame = SileroVad.FRAME, keep = Math.max(2, maxGapMs * RATE / 1000 / frame), n = pcm.length / frame;
        float threshold = SegmenterConfig.defaults().endThreshold();
        boolean[] speech = new boolean[n];
        SileroVad.Stream stream = vad().newStream();
        float[] f = new float[frame];
        try {
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < frame; k++) f[k] = pcm[i * frame + k] / 32768f;
                speech[i] = stream.probability(f) >= threshold;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("Silero VAD failed on test speech", e);
        }
        int first = 0, last = n - 1;
        while (first < n && !speech[first]) first++;
        while (last >= first && !speech[last]) last--;
        if (first > last) return new short[0];
        first = Math.max(0, first - keep / 2);
        last = Math.min(n - 1, last + keep / 2);
        short[] out = new short[pcm.length];
        int len = 0;
        for (int i = first; i <= last; ) {
            int run = 0;
            while (i + run <= last && !speech[i + run]) run++;
            if (run > keep) { // keep the first and last halves of the allowed gap
                System.arraycopy(pcm, i * frame, out, len, keep / 2 * frame);
                len += keep / 2 * frame;
                System.arraycopy(pcm, (i + run - keep / 2) * frame, out, len, keep / 2 * frame);
                len += keep / 2 * frame;
                i += run;
            } else {
                int frames = Math.max(run, 1);
                System.arraycopy(pcm, i * frame, out, len, frames * frame);
                len += frames * frame;
                i += frames;
            }
        }
        return Arrays.copyOf(out, len);
    }

    /** Silero's speech probability of each whole 32 ms frame of {@code pcm}, from one stream, as a session does. */
    static float[] probabilities(short[] pcm) throws EngineException {
        int frame = SileroVad.FRAME;
        float[] out = new float[pcm.length / frame];
        SileroVad.Stream stream = vad().newStream();
        float[] f = new float[frame];
        try {
            for (int i = 0; i < out.length; i++) {
                for (int k = 0; k < frame; k++) f[k] = pcm[i * frame + k] / 32768f;
                out[i] = stream.probability(f);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("Silero VAD failed on test speech", e);
        }
        return out;
    }

    /** The engine's own Silero VAD model, loaded once for the helpers above. */
    private static synchronized SileroVad vad() throws EngineException {
        if (vad == null) {
            try {
                vad = SileroVad.load(OrtEnvironment.getEnvironment(),
                        Path.of(engine().descriptor().model().get("vad")));
            } catch (OrtException e) {
                throw new IllegalStateException("cannot load Silero VAD for test speech", e);
            }
        }
        return vad;
    }

    /** Quiet room noise (about -66 dBFS), not digital zeros, for pauses between utterances. */
    static short[] pause(double seconds, Random random) {
        short[] s = new short[(int) (seconds * RATE)];
        for (int i = 0; i < s.length; i++) s[i] = (short) Math.round(random.nextGaussian() * 16);
        return s;
    }

    /** Word error rate after {@link EnglishTextNormalizer} on both sides. */
    static double normalizedWer(List<Utterance> utterances, Map<String, String> hypotheses) {
        return WordErrorRate.normalizedCorpus(utterances, hypotheses);
    }

    /** Word error rate with only the evaluation set's basic normalisation (lower case, no punctuation). */
    static double rawWer(List<Utterance> utterances, Map<String, String> hypotheses) {
        return WordErrorRate.corpus(utterances, hypotheses);
    }

    /** The share of the reference's words found, in order, in the hypothesis (longest common subsequence). */
    static double recall(String reference, String hypothesis) {
        List<String> r = EnglishTextNormalizer.words(reference), h = EnglishTextNormalizer.words(hypothesis);
        int[][] lcs = new int[r.size() + 1][h.size() + 1];
        for (int i = 1; i <= r.size(); i++) {
            for (int j = 1; j <= h.size(); j++) {
                lcs[i][j] = r.get(i - 1).equals(h.get(j - 1)) ? lcs[i - 1][j - 1] + 1
                        : Math.max(lcs[i - 1][j], lcs[i][j - 1]);
            }
        }
        return r.isEmpty() ? 1 : lcs[r.size()][h.size()] / (double) r.size();
    }

    /** Resident memory of this process in MB, from /proc (Linux), or -1. */
    static long rssMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
