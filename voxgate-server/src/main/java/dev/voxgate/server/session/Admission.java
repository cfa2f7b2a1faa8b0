package dev.voxgate.server.session;

import java.util.concurrent.atomic.AtomicInteger;

/** The global cap on concurrent streaming sessions ({@code MAX_SESSIONS}). Thread-safe. */
public final class Admission {
    private final int max;
    private final AtomicInteger active = new AtomicInteger();

    public Admission(int max) {
        this.max = max;
    }

    /** Takes a slot, or returns false when the server is full. */
    public boolean tryAcquire() {
        while (true) {
            int n = active.get();
            if (n >= max) return false;
            if (active.compareAndSet(n, n + 1)) return true;
        }
    }

    public void release() {
        active.decrementAndGet();
    }

    public int active() {
        return active.get();
    }

    public int max() {
        return max;
    }
}
