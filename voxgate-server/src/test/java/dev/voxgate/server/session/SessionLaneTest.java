package dev.voxgate.server.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lane's hold: its first task runs elsewhere, and everything submitted before it has finished waits for it. */
@Timeout(10)
class SessionLaneTest {
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

    private final ManualExecutor decoders = new ManualExecutor();
    private final ManualExecutor openers = new ManualExecutor();
    private final List<String> ran = Collections.synchronizedList(new ArrayList<>());
    private final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    private final SessionLane lane = new SessionLane(decoders, (t, e) -> errors.add(e));

    @Test
    void tasksSubmittedBeforeTheFirstHasRunWaitForItThenRunInOrder() {
        lane.submit(() -> ran.add("before start"));
        lane.runFirst(openers, () -> ran.add("open"));
        lane.submit(() -> ran.add("decode"));
        lane.submit(() -> ran.add("finish"));
        decoders.runAll();
        assertThat(ran).as("held: nothing on the decoders").isEmpty();
        assertThat(decoders.tasks).isEmpty();
        openers.runAll();
        assertThat(ran).containsExactly("open");
        decoders.runAll();
        assertThat(ran).containsExactly("open", "before start", "decode", "finish");
        lane.submit(() -> ran.add("later"));
        decoders.runAll();
        assertThat(ran).endsWith("later");
    }

    @Test
    void aFirstTaskThatThrowsIsReportedAndStillReleasesTheLane() {
        lane.runFirst(openers, () -> {
            throw new IllegalStateException("bug");
        });
        lane.submit(() -> ran.add("close"));
        openers.runAll();
        decoders.runAll();
        assertThat(errors).singleElement().isInstanceOf(IllegalStateException.class);
        assertThat(ran).containsExactly("close");
    }

    @Test
    void openersThatRefuseTheTaskReportItAndReleaseTheLane() {
        lane.runFirst(r -> {
            throw new RejectedExecutionException("shut down");
        }, () -> ran.add("open"));
        lane.submit(() -> ran.add("close"));
        decoders.runAll();
        assertThat(errors).singleElement().isInstanceOf(RejectedExecutionException.class);
        assertThat(ran).containsExactly("close");
    }

    @Test
    void startsOnce() {
        lane.runFirst(openers, () -> { });
        assertThatThrownBy(() -> lane.runFirst(openers, () -> { })).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Real threads: while the first task is blocked, tasks submitted from another thread do not run; once it returns
     * they do, in order, and see what it wrote (a plain field, as the session's recognizer is).
     */
    @Test
    void onRealThreadsNothingOvertakesTheFirstTaskAndItsWritesAreSeen() throws Exception {
        ExecutorService openerThread = Executors.newSingleThreadExecutor();
        ExecutorService decoderThreads = Executors.newFixedThreadPool(2);
        try {
            SessionLane real = new SessionLane(decoderThreads, (t, e) -> errors.add(e));
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch proceed = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            String[] written = new String[1];
            real.runFirst(openerThread, () -> {
                entered.countDown();
                await(proceed);
                written[0] = "recognizer";
                ran.add("open");
            });
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 20; i++) {
                int n = i;
                real.submit(() -> ran.add("task " + n + " saw " + written[0]));
            }
            real.submit(done::countDown);
            Thread.sleep(100);
            assertThat(ran).as("held while the open runs").isEmpty();
            proceed.countDown();
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(ran).hasSize(21).first().isEqualTo("open");
            for (int i = 0; i < 20; i++) assertThat(ran.get(i + 1)).isEqualTo("task " + i + " saw recognizer");
            assertThat(errors).isEmpty();
        } finally {
            openerThread.shutdownNow();
            decoderThreads.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
