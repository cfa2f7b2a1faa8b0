package dev.voxgate.server;

import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jetty's own threads (the selector, which waits in epoll) are platform threads, and what may block (handlers,
 * WebSocket callbacks) still goes to virtual threads: a pool of only one or the other would either put the JDK's
 * poller between the selector and the kernel on every frame, or hold a platform thread per waiting upload.
 */
class JettyThreadsTest {
    @Test
    void selectorsRunOnPlatformThreadsAndBlockingTasksOnVirtualOnes() throws Exception {
        QueuedThreadPool pool = JettyThreads.create();
        pool.start();
        try {
            CompletableFuture<Thread> own = new CompletableFuture<>();
            pool.execute(() -> own.complete(Thread.currentThread()));
            assertThat(own.get(5, TimeUnit.SECONDS).isVirtual()).isFalse();

            Executor virtual = VirtualThreads.getVirtualThreadsExecutor(pool);
            assertThat(virtual).isNotNull();
            CompletableFuture<Thread> handler = new CompletableFuture<>();
            virtual.execute(() -> handler.complete(Thread.currentThread()));
            Thread t = handler.get(5, TimeUnit.SECONDS);
            assertThat(t.isVirtual()).isTrue();
            assertThat(t.getName()).startsWith("JettyServerThreadPool-Virtual-");
        } finally {
            pool.stop();
        }
    }
}
