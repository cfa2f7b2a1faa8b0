package dev.voxgate.engine.vosk;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Up to {@code capacity} idle objects kept for reuse, the most recently returned handed out first
 * (its caches are the warmest). What the pool cannot keep, because it is full or closed, is
 * discarded at once: it never holds more than its bound, and nothing offered after {@link #close()}
 * outlives the call. Thread-safe; discarding happens outside the lock (freeing a native object may
 * take a while).
 */
final class WarmPool<T> implements AutoCloseable {
    private final int capacity;
    private final Consumer<? super T> discard;
    private final ArrayDeque<T> idle = new ArrayDeque<>();
    private boolean closed; // guarded by this

    WarmPool(int capacity, Consumer<? super T> discard) {
        if (capacity < 0) throw new IllegalArgumentException("capacity " + capacity);
        this.capacity = capacity;
        this.discard = discard;
    }

    /** An idle object, now the caller's, or {@code null} when there is none. */
    synchronized T poll() {
        return idle.pollFirst();
    }

    /** Keeps {@code item} for a later {@link #poll()}, or discards it when full or closed; says whether it was kept. */
    boolean offer(T item) {
        synchronized (this) {
            if (!closed && idle.size() < capacity) {
                idle.addFirst(item);
                return true;
            }
        }
        discard.accept(item);
        return false;
    }

    /** Whether another idle object would be kept (not full, not closed). */
    synchronized boolean hasRoom() {
        return !closed && idle.size() < capacity;
    }

    synchronized int idle() {
        return idle.size();
    }

    int capacity() {
        return capacity;
    }

    /** Discards the idle objects; whatever is offered from now on is discarded too. */
    @Override
    public void close() {
        List<T> drained;
        synchronized (this) {
            closed = true;
            drained = List.copyOf(idle);
            idle.clear();
        }
        drained.forEach(discard);
    }
}
