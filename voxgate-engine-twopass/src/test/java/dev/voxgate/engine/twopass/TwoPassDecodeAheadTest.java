package dev.voxgate.engine.twopass;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineDescriptor;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.api.Word;
import dev.voxgate.engine.twopass.TwoPassSessionTest.Recorder;
import dev.voxgate.engine.twopass.TwoPassSessionTest.RecordingSecond;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The second pass started ahead of the first engine's final, when the words have settled and the speaker paused. */
@Timeout(10)
class TwoPassDecodeAheadTest {
    private static final int RATE = 16000;

    /** Partials on a schedule (seconds of audio → text); one final, of the last partial's words, at finish. */
    record ScheduledFirst(NavigableMap<Double, String> partials, double speechEnd) implements StreamingEngine {
        @Override
        public EngineDescriptor descriptor() {
            return new EngineDescriptor("first", "scheduled", "1",
                    new EngineCapabilities(true, true, true, List.of(RATE), RATE, List.of("en")), Map.of());
        }

        @Override
        public RecognitionSession open(SessionOptions options, RecognitionListener listener) {
            return new RecognitionSession() {
                long samples;
                String text = "";

                @Override
                public void accept(AudioChunk chunk) {
                    samples += chunk.samples();
                    Map.Entry<Double, String> due = partials.floorEntry(samples / (double) RATE);
                    if (due != null) text = due.getValue();
                    listener.onPartial(text);
                }

                @Override
                public void finish() {
                    String[] words = text.split(" ");
                    List<Word> ws = new ArrayList<>();
                    double step = speechEnd / words.length;
                    for (int i = 0; i < words.length; i++) ws.add(new Word(words[i], i * step, (i + 1) * step, 1));
                    listener.onFinal(new Segment(text, 0, speechEnd, ws));
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void close() {
        }
    }

    /** Speech is a loud tone; the rest is silence. */
    private static Recorder stream(StreamingEngine engine, double seconds, double[][] speech, Runnable beforeFinish)
            throws Exception {
        Recorder r = new Recorder();
        try (RecognitionSession s = engine.open(new SessionOptions(RATE, "en"), r)) {
            int total = (int) (seconds * RATE), chunk = RATE / 10;
            for (int at = 0; at < total; at += chunk) {
                byte[] pcm = new byte[2 * Math.min(chunk, total - at)];
                for (int i = 0; i < pcm.length / 2; i++) {
                    double t = (at + i) / (double) RATE;
                    boolean loud = false;
                    for (double[] span : speech) loud |= t >= span[0] && t < span[1];
                    short v = loud ? (short) (8000 * Math.sin(2 * Math.PI * 440 * t)) : 0;
                    pcm[2 * i] = (byte) v;
                    pcm[2 * i + 1] = (byte) (v >> 8);
                }
                s.accept(new AudioChunk(pcm));
            }
            beforeFinish.run();
            s.finish();
        }
        return r;
    }

    @Test
    void settledWordsAtAPauseAreDecodedAheadAndThatDecodeIsTheFinal() throws Exception {
        RecordingSecond second = new RecordingSecond(n -> "Hello, world " + n + ".");
        TreeMap<Double, String> partials = new TreeMap<>(Map.of(0.5, "hello", 0.9, "hello world"));
        List<Integer> decodedBeforeFinish = new ArrayList<>();
        Recorder r = stream(new TwoPassEngine("two", new ScheduledFirst(partials, 1.0), second), 1.8,
                new double[][] {{0, 1.0}}, () -> waitForDecodes(second, 1, decodedBeforeFinish));
        // One decode, started during the pause (partial settled at 0.9 s, quiet from 1.0 s) before the stream ended.
        assertThat(decodedBeforeFinish).hasSize(1);
        assertThat(second.sessionsSamples).hasSize(1);
        int ahead = second.sessionsSamples.get(0);
        assertThat(ahead).isBetween((int) (1.1 * RATE), (int) (1.8 * RATE) - 1);
        assertThat(r.finals).singleElement().satisfies(f -> {
            assertThat(f.text()).isEqualTo("Hello, world " + ahead + ".");
            assertThat(f.end()).isEqualTo(1.0);
        });
    }

    @Test
    void wordsAfterTheDecodeAheadAreNotLost() throws Exception {
        RecordingSecond second = new RecordingSecond(n -> "heard " + n);
        TreeMap<Double, String> partials = new TreeMap<>(Map.of(0.5, "hello", 2.3, "hello again"));
        Recorder r = stream(new TwoPassEngine("two", new ScheduledFirst(partials, 2.5), second), 2.6,
                new double[][] {{0, 0.8}, {1.6, 2.5}}, () -> { });
        // A decode ahead ran in the pause at ~1.2 s; new words came after it, so the final is decoded from all of it.
        assertThat(r.finals).singleElement().satisfies(f -> {
            int samples = Integer.parseInt(f.text().substring("heard ".length()));
            assertThat(samples).isGreaterThanOrEqualTo((int) (2.5 * RATE));
        });
    }

    @Test
    void aWordTheFirstEngineShowsLateIsStillInTheDecodeAhead() throws Exception {
        RecordingSecond second = new RecordingSecond(n -> "heard " + n);
        // "world" was spoken before the pause but the first engine's partial shows it only at 1.5 s.
        TreeMap<Double, String> partials = new TreeMap<>(Map.of(0.5, "hello", 1.5, "hello world"));
        Recorder r = stream(new TwoPassEngine("two", new ScheduledFirst(partials, 1.0), second), 1.8,
                new double[][] {{0, 1.0}}, () -> { });
        assertThat(second.sessionsSamples).hasSize(1); // the decode ahead from the pause at 1.2 s, reused
        assertThat(r.finals).singleElement().satisfies(f ->
                assertThat(f.text()).isEqualTo("heard " + second.sessionsSamples.get(0)));
    }

    @Test
    void noDecodeAheadWhileTheSpeakerKeepsTalking() throws Exception {
        RecordingSecond second = new RecordingSecond(n -> "heard " + n);
        TreeMap<Double, String> partials = new TreeMap<>(Map.of(0.5, "hello"));
        List<Integer> decodedBeforeFinish = new ArrayList<>();
        stream(new TwoPassEngine("two", new ScheduledFirst(partials, 2.0), second), 2.0, new double[][] {{0, 2.0}},
                () -> decodedBeforeFinish.addAll(snapshot(second)));
        assertThat(decodedBeforeFinish).isEmpty(); // settled words, but no pause: nothing to decode ahead
        assertThat(second.sessionsSamples).hasSize(1);
    }

    private static void waitForDecodes(RecordingSecond second, int n, List<Integer> into) {
        for (int i = 0; i < 500 && snapshot(second).size() < n; i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        into.addAll(snapshot(second));
    }

    private static List<Integer> snapshot(RecordingSecond second) {
        synchronized (second.sessionsSamples) {
            return List.copyOf(second.sessionsSamples);
        }
    }
}
