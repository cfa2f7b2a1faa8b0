package dev.voxgate.testkit;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.api.UnsupportedAudioException;
import dev.voxgate.audio.Pcm16;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.WavReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link RecognitionSession} and {@link dev.voxgate.api.RecognitionListener} contract, on real
 * speech from {@link SpeechCorpus}. Every engine module extends it with its engine; the model should
 * be loaded once per JVM, so {@link #engine()} returns the module's shared instance and the contract
 * never closes it.
 *
 * <p>It never expects exact transcripts: what the engine hears with adversarial chunking is held to
 * what the same engine hears in the same audio fed normally (tenths of a second) in the same run,
 * within {@link #chunkingWerBound()}. Every callback goes through a {@link RecordingListener}, so
 * every test also checks that finals are never empty, that callbacks come only on the driving thread
 * during {@code accept}/{@code finish}, and that nothing comes after {@code finish} or {@code close}
 * has returned.
 *
 * <p>"One byte at a time" for PCM16 is one sample (two bytes) at a time: an {@link AudioChunk} of
 * an odd byte count cannot exist (the server keeps the odd byte back), so that is the smallest
 * chunk a session can be given.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
public abstract class SpeechEngineContract {
    private static final double NORMAL_CHUNK_SECONDS = 0.1;
    private static SpeechCorpus corpus;

    private final List<RecordingListener> recorders = new ArrayList<>();
    private StreamingEngine engine;
    private int rate;

    /**
     * The engine under test, usually the module's shared instance; the contract opens sessions on it and never closes
     * it.
     */
    protected abstract StreamingEngine engine() throws Exception;

    /**
     * The word error rate allowed between the words of an adversarially chunked run and those of a
     * normal run of the same engine on the same audio (at least one word is always allowed).
     */
    protected double chunkingWerBound() {
        return 0.1;
    }

    /** At most this much audio is fed one sample at a time (engines are slow at that). */
    protected double oneSampleSeconds() {
        return 5.0;
    }

    @BeforeEach
    final void openEngine() throws Exception {
        engine = engine();
        rate = engine.descriptor().capabilities().preferredSampleRate();
    }

    @AfterEach
    final void everyListenerSawTheContractKept() {
        for (RecordingListener r : recorders) r.assertNoViolations();
    }

    /** A listener whose contract violations fail the test after it ends. */
    protected final RecordingListener recorder() {
        RecordingListener r = new RecordingListener();
        recorders.add(r);
        return r;
    }

    // ---- chunking

    @Test
    void oneSampleChunksGiveTheSameWordsAsNormalChunks() throws Exception {
        Utterance u = shortUtterance();
        short[] pcm = read(u);
        if (pcm.length > oneSampleSeconds() * rate) pcm = Arrays.copyOf(pcm, (int) (oneSampleSeconds() * rate));
        sameWordsAsNormal(u.id(), pcm, new int[] {1}, u.reference());
    }

    @Test
    void oddChunkSizesGiveTheSameWordsAsNormalChunks() throws Exception {
        // Two recordings with a pause between them, so the engine ends an utterance inside the stream.
        List<Utterance> two = corpus().first(2);
        assertThat(two).hasSize(2);
        short[] pcm = Pcm16.concat(read(two.get(0)), quiet(1.5, new Random(3)), read(two.get(1)));
        sameWordsAsNormal(two.get(0).id() + "+" + two.get(1).id(), pcm, new int[] {499, 3, 1601, 7, 4799, 1},
                two.get(0).reference() + " " + two.get(1).reference());
    }

    private void sameWordsAsNormal(String id, short[] pcm, int[] chunkSamples, String reference) throws Exception {
        RecordingListener normal = recorder(), odd = recorder();
        run(pcm, new int[] {(int) (NORMAL_CHUNK_SECONDS * rate)}, normal);
        run(pcm, chunkSamples, odd);
        String expected = normal.text(), actual = odd.text();
        List<String> words = EnglishTextNormalizer.words(expected);
        System.out.printf(Locale.ROOT, "[contract %s] %s, chunks %s samples:%n  normal: %s%n  chunked: %s%n",
                engine.descriptor().id(),
                id, Arrays.toString(chunkSamples), expected, actual);
        // The normal run must have heard this speech (so "the same words" is not two empty strings agreeing):
        // nearer to its own reference than to another recording's.
        assertThat(words).as("words the engine heard in %s fed normally", id).hasSizeGreaterThanOrEqualTo(3);
        Utterance asSaid = new Utterance(id, null, pcm.length / (double) rate, reference);
        Utterance other = corpus().utterances().stream().filter(x -> !reference.contains(x.reference())).findFirst()
                .orElseThrow();
        assertThat(WordErrorRate.normalizedCorpus(List.of(asSaid), Map.of(id, expected)))
                .as("'%s' against its reference '%s' and against another recording's '%s'", expected, reference,
                        other.reference())
                .isLessThan(WordErrorRate.normalizedCorpus(List.of(new Utterance(id, null, 0, other.reference())),
                        Map.of(id, expected)));
        double wer = WordErrorRate.normalizedCorpus(List.of(new Utterance(id, null, 0, expected)), Map.of(id, actual));
        assertThat(wer).as("WER of '%s' against the normal run's '%s'", actual, expected)
                .isLessThanOrEqualTo(Math.max(chunkingWerBound(), 1.0 / words.size()));
        assertInOrderWithoutRepeats(normal.finals());
        assertInOrderWithoutRepeats(odd.finals());
        if (!engine.descriptor().capabilities().partials()) {
            assertThat(normal.events()).as("partials from an engine whose capabilities say it gives none")
                    .allMatch(RecordingListener.Event::isFinal);
            assertThat(odd.events()).as("partials from an engine whose capabilities say it gives none")
                    .allMatch(RecordingListener.Event::isFinal);
        }
    }

    private static void assertInOrderWithoutRepeats(List<Segment> finals) {
        for (int i = 1; i < finals.size(); i++) {
            Segment prev = finals.get(i - 1), cur = finals.get(i);
            assertThat(cur.start())
                    .as("final %d ('%s') starts before final %d ('%s')", i, cur.text(), i - 1, prev.text())
                    .isGreaterThanOrEqualTo(prev.start());
            assertThat(cur).as("final %d repeats final %d", i, i - 1).isNotEqualTo(prev);
        }
    }

    // ---- lifecycle

    @Test
    void finishEmitsTheLastFinalOnceThenNothing() throws Exception {
        short[] speech = read(shortUtterance());
        short[] cut = Arrays.copyOf(speech, speech.length * 7 / 10); // ends inside the speech, with no pause
        RecordingListener r = recorder();
        RecognitionSession s = open(r);
        try {
            feed(s, r, cut, (int) (NORMAL_CHUNK_SECONDS * rate));
            r.phase("finish");
            r.driving(s::finish);
            r.finishReturned();
            assertThat(r.finals("finish"))
                    .as("finals emitted by finish() for speech that runs to the end of the stream").isNotEmpty();
            int seen = r.count();
            r.phase("second finish");
            r.driving(s::finish);
            assertThat(r.count()).as("callbacks from a second finish()").isEqualTo(seen);
            assertThatThrownBy(() -> s.accept(chunk(cut, 0, 160))).as("audio after finish()")
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            r.phase("close after finish");
            s.close();
            r.closeReturned();
        }
        s.close();
        assertThatThrownBy(() -> s.accept(chunk(cut, 0, 160))).as("audio after close()")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(s::finish).as("finish() after close()").isInstanceOf(IllegalStateException.class);
        assertInOrderWithoutRepeats(r.finals());
    }

    @Test
    void closeWithoutFinishEndsTheSessionAndCloseTwiceIsFine() throws Exception {
        short[] speech = read(shortUtterance());
        RecordingListener r = recorder();
        RecognitionSession s = open(r);
        feed(s, r, Arrays.copyOf(speech, speech.length / 2), (int) (NORMAL_CHUNK_SECONDS * rate));
        r.phase("close without finish");
        s.close();
        r.closeReturned();
        s.close();
        assertThatThrownBy(() -> s.accept(chunk(speech, 0, 160))).as("audio after close()")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(s::finish).as("finish() after close()").isInstanceOf(IllegalStateException.class);
        s.close();
    }

    @Test
    void closeRightAfterOpenIsFine() throws Exception {
        RecordingListener r = recorder();
        RecognitionSession s = open(r);
        s.close();
        r.closeReturned();
        s.close();
        assertThat(r.count()).isZero();
    }

    @Test
    void finishWithNoAudioEmitsNothing() throws Exception {
        RecordingListener r = recorder();
        try (RecognitionSession s = open(r)) {
            r.driving(s::finish);
            r.finishReturned();
        }
        assertThat(r.finals()).isEmpty();
    }

    /**
     * A session abandoned from another thread while it decodes (a cancelled job, a client gone):
     * whatever the timing, no callback runs once {@code close()} has returned, and the driving
     * thread stops with at most an {@link IllegalStateException} or an engine exception.
     */
    @Test
    void closeFromAnotherThreadStopsCallbacksOnceItReturns() throws Exception {
        short[] speech = Pcm16.concat(read(shortUtterance()), quiet(1.0, new Random(5)), read(shortUtterance()));
        RecordingListener r = recorder();
        RecognitionSession s = open(r);
        CountDownLatch fedSome = new CountDownLatch(1);
        AtomicReference<Throwable> driverFailure = new AtomicReference<>();
        int step = rate / 50;
        CompletableFuture<Void> driver = CompletableFuture.runAsync(() -> {
            try {
                for (int pos = 0; pos < speech.length; pos += step) {
                    int p = pos;
                    r.driving(() -> s.accept(chunk(speech, p, Math.min(step, speech.length - p))));
                    if (pos >= speech.length / 3) fedSome.countDown();
                }
                r.driving(s::finish);
            } catch (IllegalStateException | EngineException expected) {
                // refused once closed: the stated way
            } catch (Throwable t) {
                driverFailure.set(t);
            } finally {
                fedSome.countDown();
            }
        }, runnable -> Thread.ofPlatform().name("contract-driver").start(runnable));
        assertThat(fedSome.await(5, TimeUnit.MINUTES)).isTrue();
        r.phase("close from another thread");
        s.close();
        r.closeReturned();
        driver.get(5, TimeUnit.MINUTES);
        assertThat(driverFailure.get()).as("what the driving thread got after close()").isNull();
        s.close();
    }

    // ---- what the engine hears

    @Test
    void silenceAndNoiseGiveNoEmptyFinal() throws Exception {
        short[] pcm = Pcm16.concat(new short[3 * rate], quiet(3, new Random(11)), loudNoise(2, new Random(12)),
                new short[rate]);
        RecordingListener r = recorder();
        try (RecognitionSession s = open(r)) {
            feed(s, r, pcm, (int) (NORMAL_CHUNK_SECONDS * rate));
            r.driving(s::finish);
            r.finishReturned();
        }
        r.closeReturned();
        assertThat(r.finals()).allSatisfy(f -> assertThat(f.text()).isNotBlank());
    }

    // ---- refusals

    @Test
    void refusesASampleRateItDoesNotTake() {
        EngineCapabilities caps = engine.descriptor().capabilities();
        int wrong = List.of(8000, 11025, 22050, 44100, 48000, 16000, 7999).stream()
                .filter(r -> !caps.acceptsSampleRate(r)).findFirst()
                .orElseThrow();
        RecordingListener r = recorder();
        assertThatThrownBy(() -> engine.open(new SessionOptions(wrong, null), r))
                .isInstanceOf(UnsupportedAudioException.class)
                .hasMessageContaining(Integer.toString(wrong))
                .hasMessageContaining(Integer.toString(caps.preferredSampleRate()));
        assertThat(r.count()).isZero();
    }

    @Test
    void refusesALanguageItDoesNotTake() {
        EngineCapabilities caps = engine.descriptor().capabilities();
        var wrong = List.of("fr", "de", "ja", "sw", "qaa").stream().filter(l -> !caps.supportsLanguage(l)).findFirst();
        Assumptions.assumeTrue(wrong.isPresent(), "the engine takes every language the contract tries");
        RecordingListener r = recorder();
        assertThatThrownBy(() -> engine.open(new SessionOptions(caps.preferredSampleRate(), wrong.get()), r))
                .isInstanceOf(UnsupportedAudioException.class).hasMessageContaining(wrong.get());
        assertThat(r.count()).isZero();
    }

    @Test
    void opensForEveryLanguageItAdvertisesAndForNone() throws Exception {
        EngineCapabilities caps = engine.descriptor().capabilities();
        List<String> languages = new ArrayList<>(caps.languages());
        languages.add(null);
        for (String language : languages) {
            for (int sampleRate : caps.sampleRates()) {
                RecordingListener r = recorder();
                engine.open(new SessionOptions(sampleRate, language), r).close();
                r.closeReturned();
            }
        }
    }

    // ---- helpers

    /** The corpus, loaded once per JVM. */
    private static synchronized SpeechCorpus corpus() {
        if (corpus == null) corpus = SpeechCorpus.load();
        return corpus;
    }

    private RecognitionSession open(RecordingListener r) throws Exception {
        return engine.open(new SessionOptions(rate, engine.descriptor().capabilities().languages().get(0)), r);
    }

    /**
     * Feeds the whole of {@code pcm} through a new session in chunks cycling through {@code chunkSamples}, then
     * finishes and closes it.
     */
    private void run(short[] pcm, int[] chunkSamples, RecordingListener r) throws Exception {
        try (RecognitionSession s = open(r)) {
            int i = 0;
            for (int pos = 0; pos < pcm.length; ) {
                int n = Math.min(chunkSamples[i++ % chunkSamples.length], pcm.length - pos);
                AudioChunk c = chunk(pcm, pos, n);
                r.driving(() -> s.accept(c));
                pos += n;
            }
            r.phase("finish");
            r.driving(s::finish);
            r.finishReturned();
        }
        r.closeReturned();
    }

    private static void feed(RecognitionSession s, RecordingListener r, short[] pcm, int step) throws Exception {
        for (int pos = 0; pos < pcm.length; pos += step) {
            AudioChunk c = chunk(pcm, pos, Math.min(step, pcm.length - pos));
            r.driving(() -> s.accept(c));
        }
    }

    private static AudioChunk chunk(short[] pcm, int from, int samples) {
        return new AudioChunk(Pcm16.toBytes(pcm, from, samples));
    }

    /** A recording a few seconds long (the one nearest {@link #oneSampleSeconds()}, preferring shorter ones). */
    private Utterance shortUtterance() {
        return corpus().utterances().stream()
                .filter(u -> u.seconds() >= 3)
                .min(Comparator.comparingDouble(u -> Math.abs(u.seconds() - oneSampleSeconds() + 0.5)))
                .orElseGet(() -> corpus().longest());
    }

    private short[] read(Utterance u) {
        try {
            PcmAudio audio = WavReader.read(u.wav());
            return audio.sampleRate() == rate ? audio.samples() : audio.resampledTo(rate).samples();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Quiet room noise (about -66 dBFS), not digital zeros. */
    private short[] quiet(double seconds, Random random) {
        return noise(seconds, 16, random);
    }

    /** White noise at about -20 dBFS: loud, but no speech. */
    private short[] loudNoise(double seconds, Random random) {
        return noise(seconds, 3000, random);
    }

    private short[] noise(double seconds, double rms, Random random) {
        short[] s = new short[(int) (seconds * rate)];
        for (int i = 0; i < s.length; i++) s[i] =
                (short) Math.max(-32768, Math.min(32767, Math.round(random.nextGaussian() * rms)));
        return s;
    }

}
