package dev.voxgate.testkit;

import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.Segment;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A {@link RecognitionListener} that records every callback with its time and thread, and notes
 * each one that breaks the listener contract: an empty final, a callback while another is running,
 * a callback outside {@link #driving} an {@code accept}/{@code finish} call or on another thread
 * than the one driving, and any callback after {@link #finishReturned()} or {@link #closeReturned()}.
 *
 * <p>The test marks the session's calls: {@link #driving} around each {@code accept} and
 * {@code finish}, {@link #finishReturned()} after {@code finish} returns, {@link #closeReturned()}
 * after {@code close} returns; then {@link #assertNoViolations()}. Thread-safe: a session may be
 * closed from another thread than the one driving it.
 */
public final class RecordingListener implements RecognitionListener {

    /** One callback: a partial (segment null) or a final, when ({@link System#nanoTime()}) and on which thread. */
    public record Event(String partial, Segment segment, long nanos, String thread, String phase) {
        public boolean isFinal() {
            return segment != null;
        }
    }

    private final List<Event> events = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final AtomicInteger inCallback = new AtomicInteger();
    private volatile Thread driver;
    private volatile String phase = "streaming";
    private volatile boolean finishReturned;
    private volatile long closeReturnedNanos = -1;

    /** A call into the session ({@code accept} or {@code finish}) on the current thread; may throw. */
    @FunctionalInterface
    public interface SessionCall {
        void run() throws Exception;
    }

    /** Runs {@code call} as the driving thread: callbacks are expected only on this thread, while it runs. */
    public void driving(SessionCall call) throws Exception {
        driver = Thread.currentThread();
        try {
            call.run();
        } finally {
            driver = null;
        }
    }

    /** A name for the events that follow, for messages ("one-sample chunks", "finish"). */
    public void phase(String name) {
        phase = name;
    }

    public void finishReturned() {
        finishReturned = true;
    }

    public void closeReturned() {
        closeReturnedNanos = System.nanoTime();
    }

    @Override
    public void onPartial(String text) {
        record(text, null);
    }

    @Override
    public void onFinal(Segment segment) {
        record(null, segment);
    }

    private void record(String partial, Segment segment) {
        long now = System.nanoTime();
        String what = segment != null ? "final '" + segment.text() + "'" : "partial '" + partial + "'";
        if (inCallback.incrementAndGet() != 1) violation(what + " while another callback of the session was running");
        try {
            Thread current = Thread.currentThread();
            if (segment != null && (segment.isEmpty() || segment.text().isBlank())) {
                violation("empty final at " + segment.start() + "–" + segment.end() + " s");
            }
            if (closeReturnedNanos >= 0) violation(what + " after close() had returned");
            else if (finishReturned) violation(what + " after finish() had returned");
            Thread d = driver;
            if (d == null) violation(what + " on thread " + current.getName() + " outside any accept()/finish() call");
            else if (d != current) violation(what + " on thread " + current.getName() + ", not the driving thread "
                    + d.getName());
            synchronized (this) {
                events.add(new Event(partial, segment, now, current.getName(), phase));
            }
        } finally {
            if (closeReturnedNanos >= 0) violation(what + " still running when close() returned");
            inCallback.decrementAndGet();
        }
    }

    private synchronized void violation(String what) {
        violations.add("[" + phase + "] " + what);
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    public synchronized List<Segment> finals() {
        return events.stream().filter(Event::isFinal).map(Event::segment).toList();
    }

    /** The finals recorded in the named phase. */
    public synchronized List<Segment> finals(String phaseName) {
        return events.stream().filter(e -> e.isFinal() && e.phase().equals(phaseName)).map(Event::segment).toList();
    }

    public synchronized int count() {
        return events.size();
    }

    /** The finals' texts joined by spaces. */
    public String text() {
        return finals().stream().map(Segment::text).collect(Collectors.joining(" "));
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** Fails with every violation of the listener contract seen so far. */
    public void assertNoViolations() {
        List<String> v = violations();
        if (!v.isEmpty()) throw new AssertionError("the session broke the RecognitionListener contract:\n  "
                + String.join("\n  ", v));
    }
}
