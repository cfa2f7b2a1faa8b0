package dev.voxgate.engine.aws;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.transcribestreaming.model.AudioEvent;
import software.amazon.awssdk.services.transcribestreaming.model.AudioStream;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The audio of one stream as the SDK takes it: a Reactive Streams publisher of {@code AudioEvent}s that honours the
 * SDK's demand. The session's driving thread is the only one that calls {@link #send} and {@link #complete}, so
 * {@code onNext} and {@code onComplete} are never concurrent; the SDK's threads only add demand or cancel.
 */
final class AudioPublisher implements Publisher<AudioStream> {
    /** What became of one {@link #send}. */
    enum Sent { TAKEN, NO_DEMAND, CANCELLED }

    private final Object lock = new Object();
    private Subscriber<? super AudioStream> subscriber; // guarded by lock
    private long demand; // guarded by lock
    private boolean cancelled; // guarded by lock
    private volatile boolean ended;

    @Override
    public void subscribe(Subscriber<? super AudioStream> s) {
        synchronized (lock) {
            if (subscriber != null) {
                s.onSubscribe(new Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                s.onError(new IllegalStateException("one stream of audio has one subscriber"));
                return;
            }
            subscriber = s;
        }
        s.onSubscribe(new Subscription() {
            @Override
            public void request(long n) {
                synchronized (lock) {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                    lock.notifyAll();
                }
            }

            @Override
            public void cancel() {
                synchronized (lock) {
                    cancelled = true;
                    lock.notifyAll();
                }
            }
        });
    }

    /**
     * Hands {@code pcm} to the SDK once it asks for an event, waiting at most {@code timeout} for it to ask: an SDK
     * that stops asking means a connection that stopped taking data.
     *
     * @param pcm not touched after the call (the event is built on a copy's bytes)
     */
    Sent send(byte[] pcm, Duration timeout) throws InterruptedException {
        Subscriber<? super AudioStream> s;
        synchronized (lock) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while ((subscriber == null || demand == 0) && !cancelled) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return Sent.NO_DEMAND;
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            if (cancelled) return Sent.CANCELLED;
            demand--;
            s = subscriber;
        }
        s.onNext(AudioEvent.builder().audioChunk(SdkBytes.fromByteArray(pcm)).build());
        return Sent.TAKEN;
    }

    /** The session was closed: a {@link #send} waiting for demand returns {@link Sent#CANCELLED} at once. */
    void abandon() {
        synchronized (lock) {
            cancelled = true;
            lock.notifyAll();
        }
    }

    /** The end of the audio: the SDK then sends the stream's empty closing frame. */
    void complete() {
        Subscriber<? super AudioStream> s;
        synchronized (lock) {
            if (cancelled || subscriber == null) return;
            s = subscriber;
        }
        // Set before the SDK is told, so that whoever reads false knows the closing frame cannot have gone out yet.
        ended = true;
        s.onComplete();
    }

    /**
     * Whether the end of the audio was handed to the SDK. Safe from any thread: false means Transcribe cannot have
     * had the stream's closing frame; true does not mean it had it.
     */
    boolean ended() {
        return ended;
    }
}
