package dev.voxgate.testkit;

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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic engine for protocol, capacity and timeout tests (and the benchmark's
 * protocol-cost scenario): it recognises nothing, but reports what it was given.
 *
 * <p>Each accepted chunk yields a partial {@code "samples N"}; every {@code finalEverySeconds} of
 * audio yields a final {@code "segment K"} spanning that audio; {@link RecognitionSession#finish()}
 * emits a final {@code "tail"} for the rest. It can be told to decode slowly, to fail after some
 * audio, or to take long to finish. It counts what it saw so tests can check that nothing was lost
 * and every session was closed.
 */
public final class FakeEngine implements StreamingEngine {
    private final String id;
    private final double finalEverySeconds;
    private final Duration decodeCostPerSecond;
    private final Duration finishDelay;
    private final long failAfterBytes;
    private final AtomicLong bytesAccepted = new AtomicLong();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();

    private FakeEngine(Builder b) {
        this.id = b.id;
        this.finalEverySeconds = b.finalEverySeconds;
        this.decodeCostPerSecond = b.decodeCostPerSecond;
        this.finishDelay = b.finishDelay;
        this.failAfterBytes = b.failAfterBytes;
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    @Override
    public EngineDescriptor descriptor() {
        return new EngineDescriptor(id, "Fake engine for tests", "test",
                new EngineCapabilities(true, true, true, List.of(16000), 16000, List.of("en")), Map.of("name", "none"));
    }

    @Override
    public RecognitionSession open(SessionOptions options, RecognitionListener listener) throws EngineException {
        if (options.sampleRate() != 16000) throw new UnsupportedAudioException("fake engine takes 16000 Hz, not "
                + options.sampleRate());
        opened.incrementAndGet();
        return new Session(listener);
    }

    public long bytesAccepted() {
        return bytesAccepted.get();
    }

    public int sessionsOpened() {
        return opened.get();
    }

    public int sessionsClosed() {
        return closed.get();
    }

    @Override
    public void close() {
    }

    private final class Session implements RecognitionSession {
        private final RecognitionListener listener;
        private long samples;
        private long segmentStartSample;
        private int segments;
        private boolean closedFlag;

        Session(RecognitionListener listener) {
            this.listener = listener;
        }

        @Override
        public void accept(AudioChunk chunk) throws EngineException {
            long total = bytesAccepted.addAndGet(chunk.pcm().length);
            if (failAfterBytes >= 0 && total > failAfterBytes) {
                throw new RecognitionFailedException("fake engine failure after " + failAfterBytes + " bytes", null);
            }
            sleep(Duration.ofNanos((long) (decodeCostPerSecond.toNanos() * chunk.seconds(16000))));
            samples += chunk.samples();
            listener.onPartial("samples " + samples);
            while (samples - segmentStartSample >= finalEverySeconds * 16000) {
                long end = segmentStartSample + (long) (finalEverySeconds * 16000);
                emit("segment " + (++segments), end);
            }
        }

        @Override
        public void finish() {
            sleep(finishDelay);
            if (samples > segmentStartSample) emit("tail", samples);
        }

        private void emit(String text, long endSample) {
            listener.onFinal(new Segment(text, segmentStartSample / 16000.0, endSample / 16000.0, List.of()));
            segmentStartSample = endSample;
        }

        @Override
        public void close() {
            if (!closedFlag) {
                closedFlag = true;
                closed.incrementAndGet();
            }
        }
    }

    private static void sleep(Duration d) {
        if (d.isZero()) return;
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static final class Builder {
        private final String id;
        private double finalEverySeconds = 1.0;
        private Duration decodeCostPerSecond = Duration.ZERO;
        private Duration finishDelay = Duration.ZERO;
        private long failAfterBytes = -1;

        private Builder(String id) {
            this.id = id;
        }

        public Builder finalEverySeconds(double s) {
            this.finalEverySeconds = s;
            return this;
        }

        /** Wall time the engine spends per second of audio (to make a slow decoder). */
        public Builder decodeCostPerSecond(Duration d) {
            this.decodeCostPerSecond = d;
            return this;
        }

        public Builder finishDelay(Duration d) {
            this.finishDelay = d;
            return this;
        }

        public Builder failAfterBytes(long n) {
            this.failAfterBytes = n;
            return this;
        }

        public FakeEngine build() {
            return new FakeEngine(this);
        }
    }
}
