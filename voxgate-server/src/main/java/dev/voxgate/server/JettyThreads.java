package dev.voxgate.server;

import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.util.concurrent.Executors;

/**
 * Jetty's threads: the selector and the acceptor on a few platform threads, everything that may block (HTTP
 * handlers, WebSocket callbacks) on a new virtual thread each.
 *
 * <p>Javalin's own virtual-thread pool runs the selector on a virtual thread too. Its {@code epoll_wait} then goes
 * through the JDK's poller: each time a socket becomes readable, or a WebSocket asks for its next frame and the
 * selector must be woken, the JDK's master poller wakes first, then unparks the selector's virtual thread on a
 * carrier. Extra thread wake-ups on every audio frame: about 3 points of the 17% of a core that 100 real-time sessions
 * cost the protocol path (docs/protocol-cost.md). On a platform thread the selector waits in the kernel itself.
 */
final class JettyThreads {
    private JettyThreads() {
    }

    static QueuedThreadPool create() {
        // Jetty's default sizes: the platform threads run only the selectors, the acceptors and non-blocking tasks.
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("JettyServerThreadPool");
        pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("JettyServerThreadPool-Virtual-", 0).factory()));
        return pool;
    }
}
