package dev.voxgate.engine.vosk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionFailedException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.Word;
import dev.voxgate.audio.WavReader;
import dev.voxgate.testkit.SpeechCorpus;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vosk.Model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Warm recognizers on real speech: a recognizer used by one session after another hears each
 * session as a new one would (same words, same times from zero), whatever the session before it
 * left behind; the engine keeps no more than its bound and closes what it does not keep.
 */
@Timeout(300)
class WarmRecognizersTest {
    private static final int CHUNK = 3200; // 100 ms at 16 kHz
    /**
     * Two of Vosk's 30 ms frames. The text of a reused recognizer is the same as a new one's, but a
     * word boundary may move a frame or two: on the team's set 6 of 600 words did (none by more than
     * 60 ms, no text changed). Probably ties between equal-cost paths, which the decoder breaks by
     * state number, and the graph's states are numbered in the order a recognizer first visits them.
     * What a leak from the previous session looks like is far outside this: text (the tail of the
     * cut audio decoded as words at the start) and every time shifted by seconds.
     */
    private static final double SAME_TIME = 0.065;

    private static Path modelDir;
    /** Keeps one recognizer: every session after the first reuses the same one. */
    private static VoskEngine reusing;
    /** Keeps none: every session has a new recognizer, closed after it. */
    private static VoskEngine fresh;

    @BeforeAll
    static void load() throws Exception {
        modelDir = VoskModelCache.bundledModel(Path.of(System.getProperty("java.io.tmpdir"), "voxgate-test-cache"));
        reusing = VoskEngine.load(modelDir, "test", 1);
        fresh = VoskEngine.load(modelDir, "test", 0);
    }

    @AfterAll
    static void close() {
        reusing.close();
        fresh.close();
    }

    private static final class Recorder implements RecognitionListener {
        final List<Segment> finals = new ArrayList<>();
        String lastPartial = "";

        @Override public void onPartial(String text) { lastPartial = text; }
        @Override public void onFinal(Segment segment) { finals.add(segment); }
    }

    private static byte[] pcm(Utterance u) throws IOException {
        return WavReader.read(u.wav()).resampledTo(16_000).toBytes();
    }

    private static void feed(RecognitionSession s, byte[] pcm, int from, int to) throws Exception {
        for (int pos = from; pos < to; pos += CHUNK) s.accept(new AudioChunk(Arrays.copyOfRange(pcm, pos,
                Math.min(to, pos + CHUNK))));
    }

    /** The finals of one whole session on {@code pcm}. */
    private static List<Segment> transcribe(VoskEngine engine, byte[] pcm) throws Exception {
        Recorder r = new Recorder();
        try (RecognitionSession s = engine.open(new SessionOptions(16_000, "en"), r)) {
            feed(s, pcm, 0, pcm.length);
            s.finish();
        }
        return r.finals;
    }

    private static String text(List<Segment> finals) {
        return String.join(" ", finals.stream().map(Segment::text).toList());
    }

    /** Same words in the same order, each starting and ending at the same time, give or take {@link #SAME_TIME}. */
    private static void assertSameTranscript(List<Segment> actual, List<Segment> expected, String what) {
        assertThat(text(actual)).as(what).isEqualTo(text(expected));
        List<Word> a = actual.stream().flatMap(s -> s.words().stream()).toList();
        List<Word> e = expected.stream().flatMap(s -> s.words().stream()).toList();
        assertThat(a).as(what).hasSameSizeAs(e).isNotEmpty();
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).word()).as(what).isEqualTo(e.get(i).word());
            assertThat(a.get(i).start()).as("%s: start of '%s'", what, e.get(i).word())
                    .isCloseTo(e.get(i).start(), within(SAME_TIME));
            assertThat(a.get(i).end()).as("%s: end of '%s'", what, e.get(i).word())
                    .isCloseTo(e.get(i).end(), within(SAME_TIME));
        }
    }

    @Test
    void oneRecognizerReusedBackToBackTranscribesEachUtteranceAsANewOneWould() throws Exception {
        List<Utterance> utterances = SpeechCorpus.load().first(6);
        Map<String, String> viaFresh = new LinkedHashMap<>();
        Map<String, String> viaReused = new LinkedHashMap<>();
        for (Utterance u : utterances) {
            byte[] pcm = pcm(u);
            List<Segment> expected = transcribe(fresh, pcm);
            List<Segment> actual = transcribe(reusing, pcm);
            assertThat(reusing.warmRecognizers()).as("the recognizer came back").isEqualTo(1);
            assertSameTranscript(actual, expected, u.id());
            viaFresh.put(u.id(), text(expected));
            viaReused.put(u.id(), text(actual));
        }
        assertThat(WordErrorRate.corpus(utterances, viaReused)).isEqualTo(WordErrorRate.corpus(utterances, viaFresh));
        assertThat(fresh.warmRecognizers()).isZero();
    }

    @Test
    void aSessionAbandonedMidUtteranceLeavesNothingInTheNext() throws Exception {
        Utterance abandoned = SpeechCorpus.load().longest();
        Utterance next = SpeechCorpus.load().first(1).get(0);
        byte[] cut = pcm(abandoned);
        byte[] pcm = pcm(next);
        List<Segment> expected = transcribe(fresh, pcm);

        Recorder r = new Recorder();
        RecognitionSession s = reusing.open(new SessionOptions(16_000, "en"), r);
        feed(s, cut, 0, cut.length / 2 / CHUNK * CHUNK);
        assertThat(r.lastPartial).as("cut inside speech").isNotEmpty();
        s.close(); // no finish: the client went away
        assertThat(reusing.warmRecognizers()).isEqualTo(1);

        assertSameTranscript(transcribe(reusing, pcm), expected, "after a session cut mid-utterance");
    }

    @Test
    void aSessionClosedRightAfterVoskEndedAnUtteranceLeavesNothingInTheNext() throws Exception {
        Utterance first = SpeechCorpus.load().longest();
        Utterance next = SpeechCorpus.load().first(1).get(0);
        byte[] speech = pcm(first);
        byte[] withSilence = Arrays.copyOf(speech, speech.length + 3 * 32_000);
        byte[] pcm = pcm(next);
        List<Segment> expected = transcribe(fresh, pcm);

        Recorder r = new Recorder();
        RecognitionSession s = reusing.open(new SessionOptions(16_000, "en"), r);
        int pos = 0;
        while (r.finals.isEmpty() && pos < withSilence.length) {
            s.accept(new AudioChunk(Arrays.copyOfRange(withSilence, pos, Math.min(withSilence.length, pos + CHUNK))));
            pos += CHUNK;
        }
        assertThat(r.finals).as("Vosk ended an utterance on its own").isNotEmpty();
        s.close(); // right at the endpoint, without finish
        assertThat(reusing.warmRecognizers()).isEqualTo(1);

        assertSameTranscript(transcribe(reusing, pcm), expected, "after a session closed at an endpoint");
    }

    @Test
    void wordTimesAndTextOnlyPartialsSurviveRecyclingAndAnOldRecognizerRetires() throws Exception {
        byte[] pcm = pcm(SpeechCorpus.load().longest());
        ObjectMapper json = new ObjectMapper();
        try (Model model = new Model(modelDir.toString())) {
            long lifetime = (long) Math.ceil(2.5 * pcm.length / 32_000.0); // more than two uses, less than three
            try (ReusableRecognizer r = ReusableRecognizer.create(model, 16_000, lifetime)) {
                for (int use = 1; use <= 3; use++) {
                    JsonNode partial = null;
                    JsonNode result = null;
                    for (int pos = 0; pos < pcm.length; pos += CHUNK) {
                        int n = Math.min(CHUNK, pcm.length - pos);
                        if (r.accept(Arrays.copyOfRange(pcm, pos, pos + n), n)) {
                            result = json.readTree(r.result());
                        } else {
                            JsonNode p = json.readTree(r.partialResult());
                            if (!p.path("partial").asText().isEmpty()) partial = p;
                        }
                    }
                    JsonNode last = json.readTree(r.finalResult());
                    if (last.has("result")) result = last;
                    assertThat(partial).as("use %d: a partial", use).isNotNull();
                    assertThat(partial.has("partial_result")).as("use %d: setPartialWords(false) kept", use).isFalse();
                    assertThat(result).as("use %d: a final", use).isNotNull();
                    assertThat(result.path("result").size()).as("use %d: setWords(true) kept", use).isPositive();
                    assertThat(r.recycle()).as("use %d: reusable until its lifetime is spent", use).isEqualTo(use < 3);
                }
            }
        }
    }

    @Test
    void theEngineKeepsNoMoreThanItsBoundClosesFailedOnesAndClosesTheRestWithItself() throws Exception {
        VoskEngine engine = VoskEngine.load(modelDir, "test", 2);
        assertThat(engine.warmRecognizers()).as("made at load").isEqualTo(2);
        List<RecognitionSession> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) open.add(engine.open(new SessionOptions(16_000, null), new Recorder()));
        assertThat(engine.warmRecognizers()).isZero();
        for (RecognitionSession s : open) s.close();
        assertThat(engine.warmRecognizers()).as("the third is closed: no room").isEqualTo(2);

        byte[] pcm = pcm(SpeechCorpus.load().longest());
        RecognitionSession broken = engine.open(new SessionOptions(16_000, null), new RecognitionListener() {
            @Override public void onPartial(String text) { throw new IllegalStateException("listener bug"); }
            @Override public void onFinal(Segment segment) { throw new IllegalStateException("listener bug"); }
        });
        assertThatThrownBy(() -> feed(broken, pcm, 0, pcm.length)).isInstanceOf(RecognitionFailedException.class);
        broken.close();
        assertThat(engine.warmRecognizers()).as("a recognizer that threw is closed, not kept").isEqualTo(1);

        RecognitionSession outliving = engine.open(new SessionOptions(16_000, null), new Recorder());
        engine.close();
        assertThat(engine.warmRecognizers()).isZero();
        outliving.close(); // after the engine: closed, not kept; the native model lives until its last recognizer
        assertThat(engine.warmRecognizers()).isZero();
        assertThatThrownBy(() -> engine.open(new SessionOptions(16_000, null), new Recorder()))
                .isInstanceOf(EngineUnavailableException.class);
    }
}
