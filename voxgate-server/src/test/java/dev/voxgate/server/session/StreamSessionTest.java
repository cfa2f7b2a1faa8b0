package dev.voxgate.server.session;

import dev.voxgate.api.Segment;
import dev.voxgate.testkit.FakeEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session state machine driven by hand: a manual executor stands in for the decoder pool and
 * a manual ticker for the clock, so backpressure and timeouts are checked step by step.
 */
@Timeout(10)
class StreamSessionTest {
    private static final long MS = 1_000_000L;

    /** Runs submitted tasks only when the test says so. */
    private static final class ManualExecutor implements Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable r) {
            tasks.add(r);
        }

        void runAll() {
            while (!tasks.isEmpty()) tasks.poll().run();
        }
    }

    /** Records what the session tells the client, as strings in order. */
    private static final class RecordingChannel implements ClientChannel {
        final List<String> events = new ArrayList<>();
        int frameRequests;
        Integer closeCode;

        @Override public void sendReady(SessionInfo s) { events.add("ready"); }
        @Override public void sendPartial(String text) { events.add("partial:" + text); }
        @Override public void sendFinal(Segment s) { events.add("final:" + s.text()); }
        @Override public void sendError(ErrorCode code, String message) { events.add("error:" + code.code()); }
        @Override public void close(int code, String reason) { events.add("close:" + code); closeCode = code; }
        @Override public void requestNextFrame() { frameRequests++; }

        List<String> withoutPartials() {
            return events.stream().filter(e -> !e.startsWith("partial:")).toList();
        }

        void assertExhausted(List<String> expected) {
            assertThat(withoutPartials()).containsExactlyElementsOf(expected);
        }
    }

    private final ManualExecutor decoders = new ManualExecutor();
    private final RecordingChannel client = new RecordingChannel();
    private final FakeEngine engine = FakeEngine.builder("fake").build();
    private long now = 0;
    private int terminated;

    private StreamSession session(SessionLimits limits) {
        StreamSession s = new StreamSession(new SessionInfo("s1", "fake", 16000, "test"), engine, null, client, limits,
                () -> now, new SessionEvents() { }, decoders, () -> terminated++);
        s.start();
        return s;
    }

    private static SessionLimits limits(int maxFrameBytes) {
        return new SessionLimits(Duration.ofSeconds(60), Duration.ofMillis(300), Duration.ofMillis(200), maxFrameBytes);
    }

    @AfterEach
    void engineSessionsAreAlwaysClosed() {
        decoders.runAll();
        assertThat(engine.sessionsClosed()).isEqualTo(engine.sessionsOpened());
    }

    @Test
    void readyComesOnceTheEngineSessionIsOpen() {
        StreamSession s = session(limits(4096));
        assertThat(client.events).isEmpty();
        decoders.runAll();
        assertThat(client.events).containsExactly("ready");
        s.onClientClosed();
    }

    @Test
    void readingStopsPastTheHighWaterMarkAndResumesOnceDecoded() {
        StreamSession s = session(limits(32000));
        decoders.runAll();
        int requests = client.frameRequests;
        int frames = 0;
        // Feed one-second frames without decoding: the session must stop asking for more.
        while (client.frameRequests > requests - 1 && frames < 100) {
            requests = client.frameRequests + 1;
            s.onAudio(ByteBuffer.wrap(new byte[32000]));
            frames++;
        }
        assertThat(frames).as("frames accepted before reading paused").isBetween(4, 6);
        int paused = client.frameRequests;
        s.onAudio(ByteBuffer.allocate(0)); // nothing new is asked for while paused
        decoders.runAll();
        assertThat(client.frameRequests).as("reading resumed after decoding").isGreaterThan(paused);
        s.onEndStream();
        decoders.runAll();
        assertThat(engine.bytesAccepted()).isEqualTo(frames * 32000L);
        assertThat(client.closeCode).isEqualTo(1000);
    }

    @Test
    void inactivityFlushesThenReportsThenCloses() {
        StreamSession s = session(limits(4096));
        decoders.runAll();
        s.onAudio(ByteBuffer.wrap(new byte[3200]));
        now = 250 * MS;
        s.checkTimeouts();
        assertThat(client.closeCode).isNull();
        now = 301 * MS;
        s.checkTimeouts();
        decoders.runAll();
        client.assertExhausted(List.of("ready", "final:tail", "error:inactivity_timeout", "close:4002"));
        assertThat(terminated).isEqualTo(1);
    }

    @Test
    void transcribeTimeoutGivesUpOnLateFinals() {
        StreamSession s = session(limits(4096));
        decoders.runAll();
        s.onAudio(ByteBuffer.wrap(new byte[3200]));
        s.onEndStream();
        now = 201 * MS; // the decoder never ran
        s.checkTimeouts();
        decoders.runAll(); // it runs late: nothing more may reach the client
        client.assertExhausted(List.of("ready", "error:transcribe_timeout", "close:4003"));
        assertThat(terminated).isEqualTo(1);
    }

    @Test
    void clientGoneBeforeTheEngineOpenedLeavesNothingOpen() {
        StreamSession s = session(limits(4096));
        s.onAudio(ByteBuffer.wrap(new byte[3200]));
        s.onClientClosed();
        decoders.runAll();
        assertThat(client.events).isEmpty();
        assertThat(terminated).isEqualTo(1);
    }

    @Test
    void oversizedFrameEndsTheSessionAfterEarlierAudioIsFinalised() {
        StreamSession s = session(limits(4096));
        decoders.runAll();
        s.onAudio(ByteBuffer.wrap(new byte[4096]));
        s.onAudio(ByteBuffer.wrap(new byte[4097]));
        decoders.runAll();
        client.assertExhausted(List.of("ready", "final:tail", "error:frame_too_large", "close:1009"));
        assertThat(engine.bytesAccepted()).isEqualTo(4096);
    }

    @Test
    void endingTwiceTerminatesOnce() {
        StreamSession s = session(limits(4096));
        decoders.runAll();
        s.onEndStream();
        s.onEndStream();
        s.onProtocolError(ErrorCode.MALFORMED_MESSAGE, "late");
        decoders.runAll();
        s.onClientClosed();
        assertThat(terminated).isEqualTo(1);
        assertThat(client.closeCode).isEqualTo(1007);
    }
}
