package dev.voxgate.bench.suite;

import com.sun.management.OperatingSystemMXBean;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.api.Word;
import dev.voxgate.audio.Pcm16;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.Resampler;
import dev.voxgate.audio.transcribe.OfflineTranscriber;
import dev.voxgate.audio.transcribe.Transcript;
import dev.voxgate.audio.transcribe.WordTimedEngine;
import dev.voxgate.bench.load.Clip;
import dev.voxgate.engine.whisper.WhisperEngine;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordTimeAgreement;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Scenario G, in-process: Whisper's file path (as {@code voxgate transcribe}, jobs and
 * {@code /v1/audio/transcriptions} use it) against one call of the model on each whole clip, on
 * the clips as they are, with 1–3 s of −45 dBFS noise before the speech, and given at 48 kHz; then
 * Whisper's words timed by Vosk against Vosk's own word times on the same audio, and what the word
 * times cost in CPU. docs/whisper-file-path.md explains the rules these figures check.
 */
public final class FilePathScenario {
    private static final int RATE = 16000;
    private static final double NOISE_RMS = 32768 * Math.pow(10, -45 / 20.0);
    private static final double MAX_SECONDS = 30;

    private final WhisperEngine whisper;
    private final StreamingEngine vosk;
    private final List<Utterance> references;

    public FilePathScenario(WhisperEngine whisper, StreamingEngine vosk, List<Utterance> references) {
        this.whisper = whisper;
        this.vosk = vosk;
        this.references = references;
    }

    public SuiteResult.FilePathResult run(List<Clip> all) throws EngineException {
        List<Clip> clips = all.stream().filter(c -> c.seconds() <= MAX_SECONDS).toList();
        Random random = new Random(13);
        Map<String, short[]> plain = new HashMap<>(), noisy = new HashMap<>();
        for (Clip c : clips) {
            short[] pcm = Pcm16.toSamples(c.pcm());
            plain.put(c.id(), pcm);
            noisy.put(c.id(), withNoiseBefore(pcm, 1 + 2 * random.nextDouble(), random));
        }
        new OfflineTranscriber(whisper).transcribe(new PcmAudio(RATE, plain.get(clips.get(0).id())), "en"); // warm-up
        List<SuiteResult.FileCondition> conditions = new ArrayList<>();
        conditions.add(condition("as they are", clips, c -> new PcmAudio(RATE, plain.get(c.id()))));
        conditions.add(condition("1–3 s of −45 dBFS noise before the speech", clips,
                c -> new PcmAudio(RATE, noisy.get(c.id()))));
        // The model takes 16 kHz only: its whole-clip call gets the 48 kHz file converted, as the file path does.
        conditions.add(condition("given at 48 kHz", clips,
                c -> new PcmAudio(48000, Resampler.resampleAll(plain.get(c.id()), RATE, 48000))));
        return new SuiteResult.FilePathResult(clips.size(), conditions, wordTimes(clips, plain));
    }

    private SuiteResult.FileCondition condition(String name, List<Clip> clips, Function<Clip, PcmAudio> audio)
            throws EngineException {
        Map<String, String> file = new HashMap<>(), model = new HashMap<>();
        OfflineTranscriber transcriber = new OfflineTranscriber(whisper);
        for (Clip c : clips) {
            PcmAudio a = audio.apply(c);
            file.put(c.id(), transcriber.transcribe(a, "en").text());
            model.put(c.id(), whisper.transcribeWhole(a.resampledTo(RATE).samples()));
        }
        return new SuiteResult.FileCondition(name, BenchmarkSuite.normalizedWer(references, file),
                BenchmarkSuite.normalizedWer(references, model));
    }

    private SuiteResult.WordTimes wordTimes(List<Clip> clips, Map<String, short[]> plain) throws EngineException {
        StreamingEngine timed = new WordTimedEngine(whisper, vosk);
        double cpu0 = cpuSeconds();
        for (Clip c : clips) new OfflineTranscriber(whisper).transcribe(new PcmAudio(RATE, plain.get(c.id())), "en");
        double whisperCpu = cpuSeconds() - cpu0;
        List<Transcript> withTimes = new ArrayList<>();
        cpu0 = cpuSeconds();
        for (Clip c : clips) {
            withTimes.add(new OfflineTranscriber(timed).transcribe(new PcmAudio(RATE, plain.get(c.id())), "en"));
        }
        double timedCpu = cpuSeconds() - cpu0;
        List<Double> both = new ArrayList<>(), unheard = new ArrayList<>();
        int whisperWords = 0, timedWords = 0;
        for (int i = 0; i < clips.size(); i++) {
            Transcript t = withTimes.get(i);
            whisperWords += t.segments().stream()
                    .mapToInt(s -> s.text().isBlank() ? 0 : s.text().strip().split("\\s+").length).sum();
            timedWords += WordTimeAgreement.words(t.segments()).size();
            List<Word> voskOwn = WordTimeAgreement.words(new OfflineTranscriber(vosk)
                    .transcribe(new PcmAudio(RATE, plain.get(clips.get(i).id())), "en").segments());
            both.addAll(WordTimeAgreement.differences(WordTimeAgreement.words(t.segments()), voskOwn));
            unheard.addAll(WordTimeAgreement.leaveOneOut(t.segments(), voskOwn));
        }
        return new SuiteResult.WordTimes(whisperWords, timedWords, WordTimeAgreement.Summary.of(both),
                WordTimeAgreement.Summary.of(unheard), whisperCpu, timedCpu);
    }

    private static double cpuSeconds() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static short[] withNoiseBefore(short[] pcm, double seconds, Random random) {
        short[] out = new short[(int) (seconds * RATE) + pcm.length];
        int noise = out.length - pcm.length;
        for (int i = 0; i < noise; i++) out[i] = (short) Math.round(random.nextGaussian() * NOISE_RMS);
        System.arraycopy(pcm, 0, out, noise, pcm.length);
        return out;
    }
}
