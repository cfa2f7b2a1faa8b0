package dev.voxgate.server.session;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one session's tasks one at a time, in submission order, on a shared executor. At most one
 * task of a lane is queued on the executor at a time, and a lane gives its thread back after a
 * few tasks, so sessions share the decoder threads fairly.
 */
final class SessionLane {
    private static final int TASKS_PER_TURN = 4;

    private final Executor executor;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Thread.UncaughtExceptionHandler onError;

    SessionLane(Executor executor, Thread.UncaughtExceptionHandler onError) {
        this.executor = executor;
        this.onError = onError;
    }

    void submit(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
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
