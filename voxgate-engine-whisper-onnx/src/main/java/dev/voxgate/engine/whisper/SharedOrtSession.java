package dev.voxgate.engine.whisper;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An {@link OrtSession} that can be closed while other threads run it: runs hold the read lock,
 * {@link #close()} takes the write lock, so native memory is never freed under a running inference.
 *
 * <p>The lock does not make concurrent runs safe; whether they are depends on the graph. The Silero
 * VAD session ({@link SileroVad}) is run by many threads at once, which ONNX Runtime allows for its
 * standard operators. A Whisper session is not: its attention kernels keep mutable state, so
 * {@link WhisperDecoder} hands each of its sessions to one caller at a time.
 */
final class SharedOrtSession implements AutoCloseable {
    /** Reads what is needed from a result before it is closed. */
    @FunctionalInterface
    interface ResultReader<T> {
        T read(OrtSession.Result result) throws OrtException;
    }

    private final OrtSession session;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    SharedOrtSession(OrtSession session) {
        this.session = session;
    }

    <T> T run(Map<String, OnnxTensor> inputs, ResultReader<T> reader) throws OrtException {
        lock.readLock().lock();
        try {
            if (closed) throw new IllegalStateException("the ONNX Runtime session is closed");
            try (OrtSession.Result result = session.run(inputs)) {
                return reader.read(result);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    Map<String, NodeInfo> inputs() throws OrtException {
        return session.getInputInfo();
    }

    Map<String, NodeInfo> outputs() throws OrtException {
        return session.getOutputInfo();
    }

    boolean isClosed() {
        lock.readLock().lock();
        try {
            return closed;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Idempotent. */
    @Override
    public void close() {
        closeNow();
    }

    /**
     * Waits for runs in progress, then frees the session.
     *
     * @return whether this call closed it (false when it was closed already), so owners free what
     *         they share with it exactly once
     */
    boolean closeNow() {
        lock.writeLock().lock();
        try {
            if (closed) return false;
            closed = true;
            try {
                session.close();
            } catch (OrtException e) {
                // Nothing can use it any more either way.
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }
}
