package dev.voxgate.engine.twopass;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineDescriptor;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionFailedException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.api.UnsupportedAudioException;
import dev.voxgate.api.Word;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

@Timeout(10)
class TwoPassSessionTest {
    private static final int RATE = 16000;

    /** Closes an utterance of the given words at every second of audio, the words spread over 0.2–0.8 s of it. */
    static final class ScriptedFirst implements StreamingEngine {
        final List<String> words;
        final List<Integer> rates;

        ScriptedFirst(List<Integer> rates, String... words) {
            this.words = List.of(words);
            this.rates = rates;
        }

        @Override
        public EngineDescriptor descriptor() {
            return new EngineDescriptor("first", "scripted", "1",
                    new EngineCapabilities(true, true, true, rates, rates.get(0),
                    List.of("en", "de")), Map.of("m", "a"));
        }

        @Override
        public RecognitionSession open(SessionOptions options, RecognitionListener listener) {
            return new RecognitionSession() {
                long samples;
                int utterances;

                @Override
                public void accept(AudioChunk chunk) {
                    samples += chunk.samples();
                    listener.onPartial("heard " + samples);
                    while (samples >= (utterances + 1L) * RATE) emit();
                }

                private void emit() {
                    double t0 = utterances++ + 0.2, step = 0.6 / words.size();
                    List<Word> ws = new ArrayList<>();
                    for (int i = 0; i < words.size(); i++) ws.add(new Word(words.get(i), t0 + i * step, t0
                            + (i + 1) * step, 0.9));
                    listener.onFinal(new Segment(String.join(" ", words), t0, t0 + 0.6, ws));
                }

                @Override
                public void finish() {
                    if (samples > utterances * (long) RATE + RATE / 2) emit();
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

    /** Answers each session with {@code answer(samples seen)}; records what it was given. */
    static final class RecordingSecond implements StreamingEngine {
        final Function<Integer, String> answer;
        final List<Integer> sessionsSamples = Collections.synchronizedList(new ArrayList<>()); // decodes run ahead too

        RecordingSecond(Function<Integer, String> answer) {
            this.answer = answer;
        }

        @Override
        public EngineDescriptor descriptor() {
            return new EngineDescriptor("second", "recording", "2",
                    new EngineCapabilities(true, false, false, List.of(16000), 16000,
                    List.of("en")), Map.of("m", "b"));
        }

        @Override
        public RecognitionSession open(SessionOptions options, RecognitionListener listener) {
            return new RecognitionSession() {
                int samples;

                @Override
                public void accept(AudioChunk chunk) {
                    samples += chunk.samples();
                }

                @Override
                public void finish() throws EngineException {
                    sessionsSamples.add(samples);
                    String text = answer.apply(samples);
                    if (text == null) throw new RecognitionFailedException("second engine broke", null);
                    listener.onFinal(new Segment(text, 0, samples / (double) RATE, List.of()));
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

    static final class Recorder implements RecognitionListener {
        final List<String> partials = new ArrayList<>();
        final List<Segment> finals = new ArrayList<>();

        @Override
        public void onPartial(String text) {
            partials.add(text);
        }

        @Override
        public void onFinal(Segment segment) {
            finals.add(segment);
        }
    }

    private static Recorder stream(StreamingEngine engine, double seconds, int chunkSamples) throws EngineException {
        Recorder r = new Recorder();
        try (RecognitionSession s = engine.open(new SessionOptions(RATE, "en"), r)) {
            int total = (int) (seconds * RATE);
            for (int at = 0; at < total; at += chunkSamples) {
                s.accept(new AudioChunk(new byte[2 * Math.min(chunkSamples, total - at)]));
            }
            s.finish();
        }
        return r;
    }

    @Test
    void finalsCarryTheSecondEnginesTextWithTheFirstEnginesTimes() throws Exception {
        RecordingSecond second = new RecordingSecond(n -> "Hello, World.");
        Recorder r =
                stream(new TwoPassEngine("two", new ScriptedFirst(List.of(16000), "hello", "world"), second), 3.0,
                        1600);
        assertThat(r.partials).hasSize(30).first().isEqualTo("heard 1600");
        assertThat(r.finals).hasSize(3).allSatisfy(s -> assertThat(s.text()).isEqualTo("Hello, World."));
        assertThat(r.finals.get(1).start()).isEqualTo(1.2);
        assertThat(r.finals.get(1).end()).isCloseTo(1.8, within(1e-9));
        assertThat(r.finals.get(1).words()).extracting(Word::word).containsExactly("Hello,", "World.");
        assertThat(r.finals.get(1).words().get(0).start()).isEqualTo(1.2);
        // Each utterance is decoded from its own audio with a short lead-in and tail, never the whole stream.
        assertThat(second.sessionsSamples).hasSize(3)
                .allSatisfy(n -> assertThat(n).isBetween((int) (0.6 * RATE), (int) (1.2 * RATE)));
    }

    @Test
    void chunkingDoesNotChangeWhatTheSecondEngineIsGiven() throws Exception {
        RecordingSecond tenths = new RecordingSecond(n -> "x"), odd = new RecordingSecond(n -> "x");
        stream(new TwoPassEngine("two", new ScriptedFirst(List.of(16000), "a"), tenths), 4.0, 1600);
        // utterances close a chunk late
        stream(new TwoPassEngine("two", new ScriptedFirst(List.of(16000), "a"), odd), 4.0, 16000);
        assertThat(odd.sessionsSamples).isEqualTo(tenths.sessionsSamples);
    }

    @Test
    void wordsThatDoNotLineUpLeaveSegmentTimingOnly() throws Exception {
        Recorder r = stream(new TwoPassEngine("two", new ScriptedFirst(List.of(16000), "nineteen", "sixty", "one"),
                new RecordingSecond(n -> "1961")), 1.0, 1600);
        assertThat(r.finals).singleElement().satisfies(s -> {
            assertThat(s.text()).isEqualTo("1961");
            assertThat(s.words()).isEmpty();
            assertThat(s.start()).isEqualTo(0.2);
        });
    }

    @Test
    void aFailingSecondEngineFallsBackToTheFirstEnginesFinal() throws Exception {
        Recorder r = stream(new TwoPassEngine("two", new ScriptedFirst(List.of(16000), "hello", "world"),
                new RecordingSecond(n -> null)), 2.0, 1600);
        assertThat(r.finals).hasSize(2).allSatisfy(s -> {
            assertThat(s.text()).isEqualTo("hello world");
            assertThat(s.words()).hasSize(2);
        });
    }

    @Test
    void silenceFromTheSecondEngineDropsShortUtterancesButKeepsLongOnes() throws Exception {
        Recorder noise =
                stream(new TwoPassEngine("two", new ScriptedFirst(List.of(16000), "the"), new RecordingSecond(n -> "")),
                        2.0, 1600);
        assertThat(noise.finals).isEmpty();
        Recorder quiet = stream(new TwoPassEngine("two", new ScriptedFirst(List.of(16000), "we", "heard", "this"),
                new RecordingSecond(n -> "")), 1.0, 1600);
        assertThat(quiet.finals).singleElement().extracting(Segment::text).isEqualTo("we heard this");
    }

    @Test
    void capabilitiesAreWhatBothEnginesShare() throws Exception {
        TwoPassEngine engine =
                new TwoPassEngine("two", new ScriptedFirst(List.of(8000, 16000), "a"), new RecordingSecond(n -> "x"));
        EngineCapabilities c = engine.descriptor().capabilities();
        assertThat(c.sampleRates()).containsExactly(16000);
        assertThat(c.preferredSampleRate()).isEqualTo(16000);
        assertThat(c.languages()).containsExactly("en");
        assertThat(c.partials()).isTrue();
        assertThat(engine.descriptor().model()).containsEntry("partials", "first").containsEntry("finals", "second")
                .containsEntry("first.m", "a").containsEntry("second.m", "b");
        assertThatThrownBy(() -> engine.open(new SessionOptions(8000, null), new Recorder()))
                .isInstanceOf(UnsupportedAudioException.class);
        assertThatThrownBy(() -> engine.open(new SessionOptions(16000, "de"), new Recorder()))
                .isInstanceOf(UnsupportedAudioException.class);
        assertThatThrownBy(() ->
                new TwoPassEngine("two", new ScriptedFirst(List.of(8000), "a"), new RecordingSecond(n -> "x")))
                .hasMessageContaining("share no sample rate");
    }

    @Test
    void lifecycleFollowsTheSpi() throws Exception {
        TwoPassEngine engine =
                new TwoPassEngine("two", new ScriptedFirst(List.of(16000), "a"), new RecordingSecond(n -> "x"));
        RecognitionSession s = engine.open(new SessionOptions(RATE, null), new Recorder());
        s.finish();
        s.finish();
        assertThatThrownBy(() -> s.accept(new AudioChunk(new byte[2]))).isInstanceOf(IllegalStateException.class);
        s.close();
        s.close();
        assertThatThrownBy(s::finish).isInstanceOf(IllegalStateException.class);
    }
}
