package dev.voxgate.server.session;

/** A monotonic clock in nanoseconds; injected so that timeouts can be tested without waiting. */
@FunctionalInterface
public interface Ticker {
    Ticker SYSTEM = System::nanoTime;

    long nanos();
}
