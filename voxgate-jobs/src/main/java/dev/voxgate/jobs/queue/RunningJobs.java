package dev.voxgate.jobs.queue;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The transcriptions running on this node, so a cancel on this node reaches its worker at once
 * instead of at its next progress write. Thread-safe.
 */
public final class RunningJobs {
    private final Map<UUID, Signal> running = new ConcurrentHashMap<>();

    /** The stop flag of one running transcription; the first reason set wins. */
    public static final class Signal {
        private final AtomicReference<StopReason> reason = new AtomicReference<>();
        private volatile Thread thread;

        void attach(Thread t) {
            thread = t;
            if (reason.get() != null) t.interrupt();
        }

        /** Sets the reason (unless one is set) and interrupts the transcribing thread. */
        boolean stop(StopReason r) {
            boolean first = reason.compareAndSet(null, r);
            Thread t = thread;
            if (first && t != null) t.interrupt();
            return first;
        }

        /** Null while the transcription may go on. */
        StopReason reason() {
            return reason.get();
        }
    }

    Signal register(UUID id) {
        Signal s = new Signal();
        running.put(id, s);
        return s;
    }

    void unregister(UUID id, Signal s) {
        running.remove(id, s);
    }

    /** Asks the job's transcription to stop, if it runs on this node; false when it does not. */
    public boolean stop(UUID id, StopReason reason) {
        Signal s = running.get(id);
        return s != null && s.stop(reason);
    }

    public int count() {
        return running.size();
    }
}
