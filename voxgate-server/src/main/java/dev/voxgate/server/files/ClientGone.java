package dev.voxgate.server.files;

import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Stops work for an HTTP client that has gone: while {@link #interruptsThisThread} runs, the client
 * closing its connection interrupts the calling thread, which {@link FileTranscription} turns into a
 * cancelled decode.
 *
 * <p>Why the read: on HTTP/1.1 Jetty does not read a connection while a request is being handled,
 * so it cannot see the client's FIN, and its failure listeners stay silent (jetty/jetty.project#238).
 * We ask the connection's end point to tell us when it becomes readable and read one byte: end of
 * stream means the client left. A byte means the client pipelined its next request, which no common
 * client does; that byte is lost, so the answer then carries {@code Connection: close}.
 */
public final class ClientGone {
    private ClientGone() {
    }

    /** Work that may wait and be interrupted. */
    public interface Work<T, E extends Exception> {
        T run() throws E, InterruptedException;
    }

    public static <T, E extends Exception> T interruptsThisThread(Context ctx, Work<T, E> work) throws E,
            InterruptedException {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        if (request == null) return work.run();
        Watch watch = new Watch(Thread.currentThread(), request.getConnectionMetaData().getConnection().getEndPoint());
        request.addFailureListener(failure -> watch.gone());
        watch.start();
        try {
            return work.run();
        } finally {
            if (watch.stop()) ctx.header("Connection", "close");
        }
    }

    private static final class Watch implements Callback {
        private static final CancellationException DONE = new CancellationException("the request's work has ended");
        private final Thread caller;
        private final EndPoint endPoint;
        private final ReentrantLock lock = new ReentrantLock();
        private boolean running = true; // guarded by lock: no interrupt may land after the work has ended
        private volatile boolean pipelined;

        Watch(Thread caller, EndPoint endPoint) {
            this.caller = caller;
            this.endPoint = endPoint;
        }

        void start() {
            endPoint.tryFillInterested(this);
        }

        /** Ends the watch; true when a pipelined byte was taken and the connection must close after the answer. */
        boolean stop() {
            lock.lock();
            try {
                running = false;
            } finally {
                lock.unlock();
            }
            if (endPoint instanceof AbstractEndPoint a && a.getFillInterest().isInterested()) {
                a.getFillInterest().onFail(DONE);
            }
            return pipelined;
        }

        void gone() {
            lock.lock();
            try {
                if (running) caller.interrupt();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void succeeded() {
            ByteBuffer one = BufferUtil.allocate(1);
            try {
                int n = endPoint.fill(one);
                if (n < 0) gone();
                else if (n == 0) endPoint.tryFillInterested(this);
                else pipelined = true;
            } catch (IOException e) {
                gone();
            }
        }

        @Override
        public void failed(Throwable x) {
            if (x != DONE) gone();
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }
}
