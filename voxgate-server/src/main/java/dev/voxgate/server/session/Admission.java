package dev.voxgate.server.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The caps on concurrent streaming sessions: {@code MAX_SESSIONS} for the server and {@code MAX_SESSIONS_PER_KEY}
 * for one caller (an API key, or a client address when the server runs open), so one caller cannot take every
 * slot. Thread-safe.
 */
public final class Admission {
    private final int max;
    private final int maxPerCaller;
    private final AtomicInteger active = new AtomicInteger();
    private final Map<String, Integer> perCaller = new ConcurrentHashMap<>();

    /** Whether a session may start, and if not, which cap stopped it. */
    public enum Outcome { ADMITTED, SERVER_FULL, CALLER_FULL }

    public Admission(int max) {
        this(max, max);
    }

    public Admission(int max, int maxPerCaller) {
        this.max = max;
        this.maxPerCaller = maxPerCaller;
    }

    /** Takes a slot for {@code caller}, or says which cap is reached. */
    public Outcome tryAcquire(String caller) {
        boolean[] full = new boolean[1];
        perCaller.compute(caller, (k, n) -> {
            int have = n == null ? 0 : n;
            if (have >= maxPerCaller) {
                full[0] = true;
                return n;
            }
            return have + 1;
        });
        if (full[0]) return Outcome.CALLER_FULL;
        while (true) {
            int n = active.get();
            if (n >= max) {
                release(caller, false);
                return Outcome.SERVER_FULL;
            }
            if (active.compareAndSet(n, n + 1)) return Outcome.ADMITTED;
        }
    }

    public void release(String caller) {
        release(caller, true);
    }

    private void release(String caller, boolean global) {
        perCaller.computeIfPresent(caller, (k, n) -> n <= 1 ? null : n - 1);
        if (global) active.decrementAndGet();
    }

    public int active() {
        return active.get();
    }

    public int max() {
        return max;
    }

    public int maxPerCaller() {
        return maxPerCaller;
    }
}
