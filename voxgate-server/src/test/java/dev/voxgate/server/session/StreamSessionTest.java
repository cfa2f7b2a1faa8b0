package dev.voxgate.server.session;

import dev.voxgate.api.EngineDescriptor;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.Segment;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.testkit.FakeEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

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
        final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>(); // an opener thread may add the lane's turn

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
        final List<String> events = Collections.synchronizedList(new ArrayList<>()); // ready comes from the opener
        final List<String> messages = new ArrayList<>();
        int frameRequests;
        ErrorCode closeReason;
        boolean closedNormally;

        @Override public void sendReady(SessionInfo s) { events.add("ready"); }
        @Override public void sendPartial(String text) { events.add("partial:" + text); }
        @Override public void sendFinal(Segment s) { events.add("final:" + s.text()); }
        @Override public void sendError(ErrorCode code,
                String message) { events.add("error:" + code.code()); messages.add(message); }
        @Override public void close(ErrorCode reason) { events.add("close:" + reason.code()); closeReason = reason; }
        @Override public void closeNormally() { events.add("close:normal"); closedNormally = true; }
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
        return session(limits, engine);
    }

    private StreamSession session(SessionLimits limits, StreamingEngine engine) {
        return session(limits, engine, decoders);
    }

    /** A session whose engine session is opened on {@code openers} (the decoders unless a test separates them). */
    private StreamSession session(SessionLimits limits, StreamingEngine engine, Executor openers) {
        StreamSession s = new StreamSession(new SessionInfo("s1", "fake", 16000, "test"), engine, null, client, limits,
                () -> now, new SessionEvents() { }, decoders, openers, () -> terminated++);
        s.start();
        return s;
    }

    private static SessionLimits limits(int maxFrameBytes) {
        return new SessionLimits(Duration.ofSeconds(60), Duration.ofMillis(300), Duration.ofSeconds(1), maxFrameBytes);
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

    /**
     * Before anything is decoded the backlog assumes decoding as slow as real time, so with TRANSCRIBE_TIMEOUT_MS of
     * 1 s (a 250 ms budget) the third tenth of a second pauses reading; decoding resumes it.
     */
    @Test
    void readingStopsOnceTheBacklogWouldTakeTooLongToDecodeAndResumesOnceDecoded() {
        StreamSession s = session(limits(32000));
        decoders.runAll();
        int frames = 0;
        int requests;
        do {
            requests = client.frameRequests;
            s.onAudio(ByteBuffer.wrap(new byte[3200]));
            frames++;
        } while (client.frameRequests > requests && frames < 100);
        assertThat(frames).as("tenths of a second accepted before reading paused").isEqualTo(3);
        assertThat(s.state()).isEqualTo(StreamSession.State.STREAMING);
        int paused = client.frameRequests;
        decoders.runAll();
        assertThat(client.frameRequests).as("reading resumed after decoding").isEqualTo(paused + 1);
        s.onEndStream();
        decoders.runAll();
        assertThat(engine.bytesAccepted()).isEqualTo(frames * 3200L);
        assertThat(client.closedNormally).isTrue();
    }

    /** The end of the stream waits behind one decode task of the session, not behind one task per frame. */
    @Test
    void theEndOfTheStreamIsOneLaneTurnAwayHoweverManyFramesWait() {
        StreamSession s = session(limits(32000));
        decoders.runAll();
        for (int i = 0; i < 20; i++) s.onAudio(ByteBuffer.wrap(new byte[320]));
        s.onEndStream();
        assertThat(decoders.tasks).hasSize(1);
        decoders.tasks.poll().run(); // one turn of the lane
        assertThat(client.closedNormally).isTrue();
        assertThat(engine.bytesAccepted()).isEqualTo(20 * 320L);
    }

    @Test
    void inactivityFlushesThenReportsThenCloses() {
        StreamSession s = session(limits(4096));
        decoders.runAll();
        s.onAudio(ByteBuffer.wrap(new byte[3200]));
        now = 250 * MS;
        s.checkTimeouts();
        assertThat(client.closeReason).isNull();
        now = 301 * MS;
        s.checkTimeouts();
        decoders.runAll();
        client.assertExhausted(List.of("ready", "final:tail", "error:inactivity_timeout", "close:inactivity_timeout"));
        assertThat(terminated).isEqualTo(1);
    }

    @Test
    void transcribeTimeoutGivesUpOnLateFinals() {
        StreamSession s = session(limits(4096));
        decoders.runAll();
        s.onAudio(ByteBuffer.wrap(new byte[3200]));
        s.onEndStream();
        now = 1001 * MS; // the decoder never ran
        s.checkTimeouts();
        decoders.runAll(); // it runs late: nothing more may reach the client
        client.assertExhausted(List.of("ready", "error:transcribe_timeout", "close:transcribe_timeout"));
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
        client.assertExhausted(List.of("ready", "final:tail", "error:frame_too_large", "close:frame_too_large"));
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
        assertThat(client.closeReason).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
    }

    /** Audio after end_stream, both sent before the engine opened: the error waits for ready. */
    @Test
    void anErrorRaisedBeforeTheEngineOpensFollowsReady() {
        StreamSession s = session(limits(4096));
        s.onEndStream();
        s.onAudio(ByteBuffer.wrap(new byte[320]));
        assertThat(client.events).as("nothing before the engine is open").isEmpty();
        decoders.runAll();
        client.assertExhausted(List.of("ready", "error:audio_after_end_stream", "close:audio_after_end_stream"));
        assertThat(terminated).isEqualTo(1);
    }

    /** A malformed frame before ready: the session still opens, says ready, then the error. */
    @Test
    void aProtocolErrorBeforeReadyIsReportedAfterIt() {
        StreamSession s = session(limits(4096));
        s.onAudio(ByteBuffer.wrap(new byte[3200]));
        s.onProtocolError(ErrorCode.MALFORMED_MESSAGE, "not JSON");
        decoders.runAll();
        client.assertExhausted(List.of("ready", "final:tail", "error:malformed_message", "close:malformed_message"));
    }

    /** Ended before the engine opened (here the finals timed out): a refusal, and no ready ever follows it. */
    @Test
    void aSessionEndedBeforeReadyNeverSendsReadyAfterTheError() {
        StreamSession s = session(limits(4096));
        s.onEndStream();
        now = 1001 * MS; // the engine has not opened yet
        s.checkTimeouts();
        decoders.runAll(); // it opens late
        client.assertExhausted(List.of("error:transcribe_timeout", "close:transcribe_timeout"));
        assertThat(terminated).isEqualTo(1);
    }

    @Test
    void engineFailuresReachTheClientWithoutTheEnginesText() {
        FakeEngine failing = FakeEngine.builder("fake").failAfterBytes(100).build();
        StreamSession s = session(limits(4096), failing);
        decoders.runAll();
        s.onAudio(ByteBuffer.wrap(new byte[3200]));
        decoders.runAll();
        client.assertExhausted(List.of("ready", "error:engine_failure", "close:engine_failure"));
        assertThat(client.messages.get(0)).contains("fake engine failed").contains("s1")
                .doesNotContain("fake engine failure after").doesNotContain("Exception");
        assertThat(failing.sessionsClosed()).isEqualTo(failing.sessionsOpened());
    }

    @Test
    void anEngineThatCannotOpenIsReportedWithoutItsText() {
        session(limits(4096),
                throwingOnOpen(new EngineUnavailableException("model file /srv/secret/model.bin is missing")));
        decoders.runAll();
        client.assertExhausted(List.of("error:engine_unavailable", "close:engine_unavailable"));
        assertThat(client.messages.get(0)).contains("could not start a session").doesNotContain("/srv/secret");
    }

    @Test
    void aBugReachesTheClientAsInternalErrorWithoutExceptionText() {
        session(limits(4096),
                throwingOnOpen(new IllegalStateException("index 7 out of bounds in /srv/secret/Thing.java")));
        decoders.runAll();
        client.assertExhausted(List.of("error:internal_error", "close:internal_error"));
        assertThat(client.messages.get(0)).contains("internal error").contains("s1")
                .doesNotContain("IllegalStateException").doesNotContain("/srv/secret").doesNotContain("index 7");
        assertThat(terminated).isEqualTo(1);
    }

    // ---- the open runs apart from the decoders; the lane waits for it ----------------------

    @Test
    void readyDoesNotWaitForTheDecodersAndNothingDecodesBeforeIt() {
        ManualExecutor openers = new ManualExecutor();
        StreamSession s = session(limits(32000), engine, openers);
        s.onAudio(ByteBuffer.wrap(new byte[3200]));
        assertThat(decoders.tasks).as("the lane holds the decode").isEmpty();
        openers.runAll();
        assertThat(client.events).containsExactly("ready");
        decoders.runAll();
        assertThat(engine.bytesAccepted()).isEqualTo(3200);
        s.onClientClosed();
    }

    @Test
    void anEndOfStreamBeforeTheOpenHasRunWaitsForItThenFinalises() {
        ManualExecutor openers = new ManualExecutor();
        StreamSession s = session(limits(32000), engine, openers);
        s.onAudio(ByteBuffer.wrap(new byte[32000]));
        s.onEndStream();
        decoders.runAll();
        assertThat(client.events).isEmpty();
        assertThat(engine.sessionsOpened()).isZero();
        openers.runAll();
        decoders.runAll();
        client.assertExhausted(List.of("ready", "final:segment 1", "close:normal"));
        assertThat(engine.bytesAccepted()).isEqualTo(32000);
        assertThat(terminated).isEqualTo(1);
    }

    @Test
    void aClientGoneBeforeTheOpenHasRunOpensNothing() {
        ManualExecutor openers = new ManualExecutor();
        StreamSession s = session(limits(4096), engine, openers);
        s.onAudio(ByteBuffer.wrap(new byte[3200]));
        s.onClientClosed();
        assertThat(terminated).as("the slot is free at once").isEqualTo(1);
        decoders.runAll();
        openers.runAll();
        decoders.runAll();
        assertThat(client.events).isEmpty();
        assertThat(engine.sessionsOpened()).isZero();
    }

    /** An engine whose {@code open} blocks until the test lets it go, as one building a recognizer does. */
    private static final class SlowToOpen implements StreamingEngine {
        final FakeEngine inner;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);

        SlowToOpen(FakeEngine inner) {
            this.inner = inner;
        }

        @Override
        public EngineDescriptor descriptor() {
            return inner.descriptor();
        }

        @Override
        public RecognitionSession open(SessionOptions options, RecognitionListener listener) throws EngineException {
            entered.countDown();
            try {
                proceed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return inner.open(options, listener);
        }

        @Override
        public void close() {
        }
    }

    /** Real opener thread: end_stream, then more audio, while the engine is still opening. */
    @Test
    void anEndOfStreamWhileTheEngineIsOpeningIsFinalisedAfterReady() throws Exception {
        SlowToOpen slow = new SlowToOpen(engine);
        ExecutorService opener = Executors.newSingleThreadExecutor();
        try {
            StreamSession s = session(limits(32000), slow, opener);
            assertThat(slow.entered.await(5, TimeUnit.SECONDS)).isTrue();
            s.onAudio(ByteBuffer.wrap(new byte[32000]));
            s.onEndStream();
            s.onAudio(ByteBuffer.wrap(new byte[320]));
            assertThat(decoders.tasks).as("held while the engine opens").isEmpty();
            assertThat(client.events).isEmpty();
            slow.proceed.countDown();
            opener.shutdown();
            assertThat(opener.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            decoders.runAll();
            client.assertExhausted(List.of("ready", "error:audio_after_end_stream", "final:segment 1",
                    "close:audio_after_end_stream"));
            assertThat(engine.bytesAccepted()).isEqualTo(32000);
        } finally {
            opener.shutdownNow();
        }
    }

    /** Real opener thread: the client leaves while the engine is still opening; the engine session is closed. */
    @Test
    void aClientGoneWhileTheEngineIsOpeningLeavesNothingOpenAndNoReady() throws Exception {
        SlowToOpen slow = new SlowToOpen(engine);
        ExecutorService opener = Executors.newSingleThreadExecutor();
        try {
            StreamSession s = session(limits(4096), slow, opener);
            assertThat(slow.entered.await(5, TimeUnit.SECONDS)).isTrue();
            s.onAudio(ByteBuffer.wrap(new byte[3200]));
            s.onClientClosed();
            assertThat(terminated).isEqualTo(1);
            slow.proceed.countDown();
            opener.shutdown();
            assertThat(opener.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(engine.sessionsOpened()).isEqualTo(1);
            assertThat(engine.sessionsClosed()).as("closed by the opener, which saw the session gone").isEqualTo(1);
            decoders.runAll();
            assertThat(client.events).isEmpty();
            assertThat(engine.bytesAccepted()).isZero();
        } finally {
            opener.shutdownNow();
        }
    }

    /** An engine whose {@code open} throws {@code e} (checked or not). */
    private static StreamingEngine throwingOnOpen(Exception e) {
        return new StreamingEngine() {
            @Override
            public EngineDescriptor descriptor() {
                return FakeEngine.builder("fake").build().descriptor();
            }

            @Override
            public RecognitionSession open(SessionOptions options,
                    RecognitionListener listener) throws EngineException {
                if (e instanceof EngineException ee) throw ee;
                throw (RuntimeException) e;
            }

            @Override
            public void close() {
            }
        };
    }
}
