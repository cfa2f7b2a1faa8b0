package dev.voxgate.audio.transcribe;

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
import dev.voxgate.audio.Pcm16;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.Resampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.voxgate.audio.transcribe.TranscriptTest.seg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

@Timeout(30)
class OfflineTranscriberTest {

    /** An engine that records what its sessions are given and emits scripted finals. */
    static final class FakeEngine implements StreamingEngine {
        final EngineDescriptor descriptor;
        final List<FakeSession> sessions = new ArrayList<>();
        /** Finals emitted right after the first chunk is accepted. */
        List<Segment> finalsOnFirstChunk = List.of();
        /** Finals emitted by finish(). */
        List<Segment> finalsOnFinish = List.of();
        EngineException failOnFinish;
        EngineException failOnSecondChunk;

        FakeEngine(List<Integer> rates, int preferred) {
            EngineCapabilities caps = new EngineCapabilities(true, true, false, rates, preferred, List.of("en"));
            this.descriptor = new EngineDescriptor("fake", "records chunks", "0", caps, Map.of());
        }

        @Override
        public EngineDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public RecognitionSession open(SessionOptions options, RecognitionListener listener) {
            FakeSession s = new FakeSession(this, options, listener);
            sessions.add(s);
            return s;
        }

        @Override
        public void close() {
        }

        FakeSession onlySession() {
            assertThat(sessions).hasSize(1);
            return sessions.get(0);
        }
    }

    static final class FakeSession implements RecognitionSession {
        final FakeEngine engine;
        final SessionOptions options;
        final RecognitionListener listener;
        final List<AudioChunk> chunks = new ArrayList<>();
        /** "accept", "finish", "close" in call order. */
        final List<String> calls = new ArrayList<>();

        FakeSession(FakeEngine engine, SessionOptions options, RecognitionListener listener) {
            this.engine = engine;
            this.options = options;
            this.listener = listener;
        }

        @Override
        public void accept(AudioChunk chunk) throws EngineException {
            assertThat(calls).as("accept after finish or close").doesNotContain("finish", "close");
            calls.add("accept");
            chunks.add(chunk);
            if (chunks.size() == 1) engine.finalsOnFirstChunk.forEach(listener::onFinal);
            if (chunks.size() == 2 && engine.failOnSecondChunk != null) throw engine.failOnSecondChunk;
        }

        @Override
        public void finish() throws EngineException {
            calls.add("finish");
            if (engine.failOnFinish != null) throw engine.failOnFinish;
            engine.finalsOnFinish.forEach(listener::onFinal);
        }

        @Override
        public void close() {
            calls.add("close");
        }

        short[] receivedSamples() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (AudioChunk c : chunks) all.writeBytes(c.pcm());
            return Pcm16.toSamples(all.toByteArray());
        }

        long count(String call) {
            return calls.stream().filter(call::equals).count();
        }
    }

    private static short[] noise(int n, long seed) {
        Random random = new Random(seed);
        short[] s = new short[n];
        for (int i = 0; i < n; i++) s[i] = (short) random.nextInt(-20_000, 20_000);
        return s;
    }

    @Test
    void audioAtARateTheEngineDoesNotAcceptIsResampledToItsPreferredRate() throws EngineException {
        FakeEngine engine = new FakeEngine(List.of(8000, 16_000), 16_000);
        short[] samples = noise(44_100, 1);

        new OfflineTranscriber(engine).transcribe(new PcmAudio(44_100, samples.clone()), "en");

        FakeSession session = engine.onlySession();
        assertThat(session.options.sampleRate()).isEqualTo(16_000);
        assertThat(session.receivedSamples()).hasSize(16_000).isEqualTo(Resampler.resampleAll(samples, 44_100, 16_000));
    }

    @Test
    void audioAtARateTheEngineAcceptsIsSentUnchangedInOrder() throws EngineException {
        FakeEngine engine = new FakeEngine(List.of(8000, 16_000), 16_000);
        short[] samples = noise(12_345, 2);

        new OfflineTranscriber(engine).transcribe(new PcmAudio(8000, samples.clone()), null);

        FakeSession session = engine.onlySession();
        assertThat(session.options.sampleRate()).isEqualTo(8000);
        assertThat(session.receivedSamples()).isEqualTo(samples);
    }

    @Test
    void audioIsCutIntoChunksOfTheConfiguredDuration() throws EngineException {
        FakeEngine engine = new FakeEngine(List.of(16_000), 16_000);
        short[] samples = noise(16_800, 3);

        new OfflineTranscriber(engine).transcribe(new PcmAudio(16_000, samples), "en");
        new OfflineTranscriber(engine, 0.25).transcribe(new PcmAudio(16_000, samples), "en");

        assertThat(engine.sessions.get(0).chunks).extracting(AudioChunk::samples)
                .containsExactly(1600, 1600, 1600, 1600, 1600, 1600, 1600, 1600, 1600, 1600, 800);
        assertThat(engine.sessions.get(1).chunks).extracting(AudioChunk::samples)
                .containsExactly(4000, 4000, 4000, 4000, 800);
        assertThat(engine.sessions.get(1).receivedSamples()).isEqualTo(samples);
    }

    @Test
    void chunksNeverGetShorterThanOneSample() throws EngineException {
        FakeEngine engine = new FakeEngine(List.of(8000), 8000);

        new OfflineTranscriber(engine, 1e-9).transcribe(new PcmAudio(8000, new short[] {1, 2, 3}), "en");

        assertThat(engine.onlySession().chunks).extracting(AudioChunk::samples).containsExactly(1, 1, 1);
        assertThat(engine.onlySession().receivedSamples()).containsExactly(1, 2, 3);
    }

    @Test
    void finishIsCalledOnceAfterAllAudioAndThenTheSessionIsClosed() throws EngineException {
        FakeEngine engine = new FakeEngine(List.of(16_000), 16_000);

        new OfflineTranscriber(engine).transcribe(new PcmAudio(16_000, noise(5000, 4)), "en");

        FakeSession session = engine.onlySession();
        assertThat(session.count("accept")).isEqualTo(4);
        assertThat(session.count("finish")).isEqualTo(1);
        assertThat(session.count("close")).isEqualTo(1);
        assertThat(session.calls).endsWith("accept", "finish", "close");
    }

    @Test
    void progressRisesMonotonicallyFromAboveZeroToOne() throws EngineException {
        FakeEngine engine = new FakeEngine(List.of(16_000), 16_000);
        List<Double> progress = new ArrayList<>();

        new OfflineTranscriber(engine).transcribe(new PcmAudio(44_100, noise(3 * 44_100 + 17, 5)), "en", progress::add);

        assertThat(progress).hasSizeGreaterThanOrEqualTo(30).allSatisfy(p -> assertThat(p).isBetween(0.0, 1.0));
        assertThat(progress).isSorted();
        assertThat(progress.get(0)).isGreaterThan(0.0).isLessThan(0.1);
        assertThat(progress.get(progress.size() - 1)).isEqualTo(1.0);
    }

    @Test
    void progressReportsTheFractionOfAudioSent() throws EngineException {
        FakeEngine engine = new FakeEngine(List.of(16_000), 16_000);
        List<Double> progress = new ArrayList<>();

        new OfflineTranscriber(engine, 0.5).transcribe(new PcmAudio(16_000, new short[20_000]), "en", progress::add);

        assertThat(progress.subList(0, 3)).containsExactly(0.4, 0.8, 1.0);
        assertThat(progress).allSatisfy(p -> assertThat(p).isBetween(0.0, 1.0)).last().isEqualTo(1.0);
    }

    @Test
    void emptyFinalsAreDroppedAndTheOthersKeptInOrder() throws EngineException {
        FakeEngine engine = new FakeEngine(List.of(16_000), 16_000);
        engine.finalsOnFirstChunk = List.of(seg("hello", 0, 0.5), seg("", 0.5, 0.6));
        engine.finalsOnFinish = List.of(seg("   ", 0.6, 0.7), seg("world", 0.7, 1.0), seg(null, 1.0, 1.1));

        Transcript t = new OfflineTranscriber(engine).transcribe(new PcmAudio(16_000, noise(16_000, 6)), "en");

        assertThat(t.segments()).extracting(Segment::text).containsExactly("hello", "world");
        assertThat(t.segments().get(1).start()).isEqualTo(0.7);
        assertThat(t.text()).isEqualTo("hello world");
    }

    @Test
    void transcriptDurationIsThatOfTheOriginalAudio() throws EngineException {
        FakeEngine engine = new FakeEngine(List.of(16_000), 16_000);

        Transcript t = new OfflineTranscriber(engine).transcribe(new PcmAudio(22_050, new short[33_075]), "en");

        assertThat(t.durationSeconds()).isCloseTo(1.5, within(1e-12));
    }

    @Test
    void languageIsPassedToTheSession() throws EngineException {
        FakeEngine engine = new FakeEngine(List.of(16_000), 16_000);

        new OfflineTranscriber(engine).transcribe(new PcmAudio(16_000, new short[10]), "en-GB");
        new OfflineTranscriber(engine).transcribe(new PcmAudio(16_000, new short[10]), null);

        assertThat(engine.sessions).extracting(s -> s.options.language()).containsExactly("en-GB", null);
    }

    @Test
    void emptyAudioStillFinishesClosesAndReportsFullProgress() throws EngineException {
        FakeEngine engine = new FakeEngine(List.of(16_000), 16_000);
        engine.finalsOnFinish = List.of(seg("noise", 0, 0));
        List<Double> progress = new ArrayList<>();

        Transcript t = new OfflineTranscriber(engine)
                .transcribe(new PcmAudio(16_000, new short[0]), "en", progress::add);

        assertThat(engine.onlySession().calls).containsExactly("finish", "close");
        assertThat(progress).containsExactly(1.0);
        assertThat(t.text()).isEqualTo("noise");
        assertThat(t.durationSeconds()).isZero();
    }

    @Test
    void sessionIsClosedWhenFinishFails() {
        FakeEngine engine = new FakeEngine(List.of(16_000), 16_000);
        engine.failOnFinish = new RecognitionFailedException("decoder crashed", null);

        assertThatThrownBy(() -> new OfflineTranscriber(engine).transcribe(new PcmAudio(16_000, new short[3200]), "en"))
                .isSameAs(engine.failOnFinish);
        assertThat(engine.onlySession().calls).endsWith("finish", "close");
        assertThat(engine.onlySession().count("close")).isEqualTo(1);
    }

    @Test
    void sessionIsClosedWithoutFinishingWhenAcceptFails() {
        FakeEngine engine = new FakeEngine(List.of(16_000), 16_000);
        engine.failOnSecondChunk = new RecognitionFailedException("bad audio", null);
        List<Double> progress = new ArrayList<>();

        assertThatThrownBy(() -> new OfflineTranscriber(engine)
                .transcribe(new PcmAudio(16_000, new short[16_000]), "en", progress::add))
                .isSameAs(engine.failOnSecondChunk);
        assertThat(engine.onlySession().calls).containsExactly("accept", "accept", "close");
        assertThat(progress).doesNotContain(1.0);
    }
}
