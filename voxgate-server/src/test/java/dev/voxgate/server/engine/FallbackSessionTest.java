package dev.voxgate.server.engine;

import dev.voxgate.api.AudioChunk;
import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineDescriptor;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.testkit.FakeEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class FallbackSessionTest {
    private static final int RATE = 16000;
    private final TestClock clock = new TestClock();
    private final List<String> events = new ArrayList<>();
    private final EngineEvents recorder = new EngineEvents() {
        @Override
        public void failed(String engine, String code) {
            events.add("failed " + engine + " " + code);
        }

        @Override
        public void fellBack(String from, String to) {
            events.add("fell back " + from + " -> " + to);
        }
    };

    /** Finals and notices in order. */
    static final class Recorder implements RecognitionListener, EngineSwitchListener {
        final List<Segment> finals = new ArrayList<>();
        final List<String> notices = new ArrayList<>();

        @Override
        public void onFinal(Segment segment) {
            finals.add(segment);
        }

        @Override
        public void onEngineSwitched(String from, String to, String reason) {
            notices.add(from + " -> " + to + ": " + reason);
        }
    }

    private static AudioChunk tenth() {
        return new AudioChunk(new byte[RATE / 10 * 2]);
    }

    @Test
    void midSessionFailureReplaysTheAudioSinceTheLastFinalToTheNextEngine() throws Exception {
        // The primary gives a final per second and fails once it has taken 2.5 s; nothing may be lost or repeated.
        FakeEngine primary = FakeEngine.builder("primary").finalEverySeconds(1).failAfterBytes(RATE * 5L).build();
        FakeEngine secondary = FakeEngine.builder("secondary").finalEverySeconds(1).build();
        EngineRegistry registry = EngineRegistry.of("primary", List.of(primary, secondary));
        EngineFallback fallback = new EngineFallback(registry, List.of("secondary"), Duration.ofSeconds(30), clock,
                recorder);
        Recorder r = new Recorder();
        try (RecognitionSession s = fallback.engineFor("primary").open(new SessionOptions(RATE, null), r)) {
            for (int i = 0; i < 50; i++) s.accept(tenth());
            s.finish();
        }
        assertThat(r.notices).hasSize(1).first().asString().startsWith("primary -> secondary");
        assertThat(events).containsExactly("failed primary engine_failure", "fell back primary -> secondary");
        // The finals tile the 5 s: primary's [0,1] [1,2], then secondary's from 2.0 s (where the replay starts).
        assertThat(r.finals).extracting(Segment::start).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0);
        assertThat(r.finals).extracting(Segment::end).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0);
        assertThat(secondary.bytesAccepted()).as("replayed 2.0-2.6 s, then the rest").isEqualTo(RATE * 2L * 3);
        assertThat(primary.sessionsClosed()).isEqualTo(1);
        assertThat(secondary.sessionsClosed()).isEqualTo(1);
    }

    @Test
    void anEngineThatCannotOpenIsSkippedAndAfterRepeatedFailuresNotAskedUntilItsCoolOffEnds() throws Exception {
        Refusing refusing = new Refusing();
        FakeEngine secondary = FakeEngine.builder("secondary").finalEverySeconds(1).build();
        EngineRegistry registry = EngineRegistry.of("refusing", List.of(refusing, secondary));
        EngineFallback fallback = new EngineFallback(registry, List.of("secondary"), Duration.ofSeconds(30), clock,
                recorder);
        for (int i = 0; i < 6; i++) {
            Recorder r = new Recorder();
            try (RecognitionSession s = fallback.engineFor("refusing").open(new SessionOptions(RATE, null), r)) {
                s.accept(tenth());
                s.finish();
            }
            assertThat(r.notices).as("session %d", i).hasSize(1);
        }
        assertThat(refusing.opens.get()).as("opens tried before the breaker opened")
                .isEqualTo(EngineFallback.MIN_CALLS);
        assertThat(fallback.breakerState("refusing")).isEqualTo("open");
        assertThat(fallback.isCoolingOff("refusing")).isTrue();

        clock.advance(Duration.ofSeconds(31));
        try (RecognitionSession s = fallback.engineFor("refusing").open(new SessionOptions(RATE, null),
                new Recorder())) {
            s.finish();
        }
        assertThat(refusing.opens.get()).as("one try after the cool-off").isEqualTo(EngineFallback.MIN_CALLS + 1);
        assertThat(fallback.breakerState("refusing")).isEqualTo("open");
    }

    @Test
    void withNoEngineLeftTheLastFailureIsThrown() {
        EngineRegistry registry = EngineRegistry.of("refusing", List.of(new Refusing()));
        EngineFallback fallback = new EngineFallback(registry, List.of("refusing"), Duration.ofSeconds(30), clock,
                recorder);
        assertThatThrownBy(() -> fallback.engineFor("refusing").open(new SessionOptions(RATE, null), new Recorder()))
                .isInstanceOf(EngineUnavailableException.class).hasMessageContaining("ENGINE_FALLBACK")
                .hasMessageContaining("refusing");
    }

    /** An engine whose remote refuses every session. */
    static final class Refusing implements StreamingEngine {
        final AtomicInteger opens = new AtomicInteger();

        @Override
        public EngineDescriptor descriptor() {
            return new EngineDescriptor("refusing", "refuses", "test",
                    new EngineCapabilities(true, true, true, List.of(RATE), RATE, List.of("en")), Map.of());
        }

        @Override
        public RecognitionSession open(SessionOptions options, RecognitionListener listener) throws EngineException {
            opens.incrementAndGet();
            throw new EngineUnavailableException("the remote refused the key");
        }

        @Override
        public void close() {
        }
    }

    static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-12-04T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
