package dev.voxgate.server.session;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one session's tasks one at a time, in submission order, on a shared executor. At most one
 * task of a lane is queued on the executor at a time, and a lane gives its thread back after a
 * few tasks, so sessions share the decoder threads fairly.
 *
 * <p>A lane starts held: what is submitted waits until {@link #runFirst} has run the lane's first
 * task on another executor, then runs after it, in order. So the first task (opening the engine
 * session) neither waits behind other lanes' turns in the decoder queue nor holds a decoder, and
 * the lane's later tasks still see everything it did (the release is a volatile write the next
 * turn's scheduling reads).
 */
final class SessionLane {
    private static final int TASKS_PER_TURN = 4;

    private final Executor executor;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final Thread.UncaughtExceptionHandler onError;
    private volatile boolean held = true;

    SessionLane(Executor executor, Thread.UncaughtExceptionHandler onError) {
        this.executor = executor;
        this.onError = onError;
    }

    /**
     * Runs {@code first} on {@code elsewhere}, then releases the tasks submitted meanwhile (and
     * from then on) to the lane's executor. Called once.
     */
    void runFirst(Executor elsewhere, Runnable first) {
        if (!started.compareAndSet(false, true)) throw new IllegalStateException("the lane has already started");
        try {
            elsewhere.execute(() -> {
                try {
                    first.run();
                } catch (RuntimeException | Error e) {
                    onError.uncaughtException(Thread.currentThread(), e);
                } finally {
                    release();
                }
            });
        } catch (RejectedExecutionException e) { // shut down: the session must still end, and its tasks run
            onError.uncaughtException(Thread.currentThread(), e);
            release();
        }
    }

    private void release() {
        held = false;
        schedule();
    }

    void submit(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (!held && !tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            executor.execute(this::runTurn);
        }
    }

    private void runTurn() {
        try {
            for (int i = 0; i < TASKS_PER_TURN; i++) {
                Runnable task = tasks.poll();
                if (task == null) break;
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    onError.uncaughtException(Thread.currentThread(), e);
                }
            }
        } finally {
            scheduled.set(false);
            schedule();
        }
    }
}
