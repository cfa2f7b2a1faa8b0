package dev.voxgate.server.files;

import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Stops work for an HTTP client that has gone: while {@link #interruptsThisThread} runs, Jetty's
 * notice that the connection failed (the client closed it, or a reset) interrupts the calling
 * thread, which {@link FileTranscription} turns into a cancelled decode.
 */
public final class ClientGone {
    private ClientGone() {
    }

    /** Work that may wait and be interrupted. */
    public interface Work<T, E extends Exception> {
        T run() throws E, InterruptedException;
    }

    public static <T, E extends Exception> T interruptsThisThread(Context ctx, Work<T, E> work) throws E, InterruptedException {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        if (request == null) return work.run();
        Thread caller = Thread.currentThread();
        ReentrantLock lock = new ReentrantLock();
        boolean[] running = {true}; // guarded by lock: no interrupt may land after the work has ended
        request.addFailureListener(failure -> {
            lock.lock();
            try {
                if (running[0]) caller.interrupt();
            } finally {
                lock.unlock();
            }
        });
        try {
            return work.run();
        } finally {
            lock.lock();
            try {
                running[0] = false;
            } finally {
                lock.unlock();
            }
        }
    }
}
