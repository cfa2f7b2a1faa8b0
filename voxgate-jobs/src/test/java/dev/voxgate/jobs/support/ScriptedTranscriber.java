package dev.voxgate.jobs.support;

import dev.voxgate.api.Segment;
import dev.voxgate.api.Word;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.WavReader;
import dev.voxgate.audio.transcribe.Transcript;
import dev.voxgate.jobs.FileTranscriber;
import dev.voxgate.jobs.JobRequest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleConsumer;

/**
 * A {@link FileTranscriber} for tests: counts its calls per job (the job id is the upload's folder
 * name) and does what the test's {@link Step} says; by default it reads the WAV and makes one
 * segment of one word per second of audio.
 */
public final class ScriptedTranscriber implements FileTranscriber {

    @FunctionalInterface
    public interface Step {
        /** @param call 1 for the job's first call, 2 for its second, … */
        Transcript run(Path audio, JobRequest request, DoubleConsumer progress, int call) throws Exception;
    }

    private final Map<UUID, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Step step;

    public ScriptedTranscriber(Step step) {
        this.step = step;
    }

    public static ScriptedTranscriber wav() {
        return new ScriptedTranscriber((audio, request, progress, call) -> fromWav(audio, progress));
    }

    @Override
    public Transcript transcribe(Path audio, JobRequest request, DoubleConsumer progress) throws Exception {
        UUID id = UUID.fromString(audio.getParent().getFileName().toString());
        int call = calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        return step.run(audio, request, progress, call);
    }

    public int calls(UUID id) {
        AtomicInteger n = calls.get(id);
        return n == null ? 0 : n.get();
    }

    public Map<UUID, Integer> allCalls() {
        Map<UUID, Integer> out = new ConcurrentHashMap<>();
        calls.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** One segment {@code "second N"} per second of the WAV, with progress in tenths. */
    public static Transcript fromWav(Path audio, DoubleConsumer progress) throws Exception {
        PcmAudio pcm = WavReader.read(audio);
        double seconds = pcm.seconds();
        for (int i = 1; i <= 10; i++) progress.accept(i / 10.0);
        List<Segment> segments = new ArrayList<>();
        for (int s = 0; s < (int) Math.ceil(seconds); s++) {
            double end = Math.min(seconds, s + 1.0);
            segments.add(new Segment("second " + (s + 1), s, end,
                    List.of(new Word("second", s, Math.min(s + 0.4, end), 0.9),
                            new Word(String.valueOf(s + 1), Math.min(s + 0.5, end), end, 0.8))));
        }
        return new Transcript(segments, seconds);
    }
}
