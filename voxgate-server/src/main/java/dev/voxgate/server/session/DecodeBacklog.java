package dev.voxgate.server.session;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The audio one session has taken from its client and not yet decoded, bounded by how long it will take to decode
 * rather than by its size, so that a session's last finals are always ready within {@code TRANSCRIBE_TIMEOUT_MS}
 * however many sessions share the decoders.
 *
 * <p>The estimate is the queued audio's seconds times the session's observed decode rate: an EWMA of the wall time
 * the decoders took per second of this session's audio, counted from when the audio was waiting and the decoder
 * was free to take it (so the time spent behind other sessions' turns is included, as it will be for the backlog).
 * The rate starts at one second per second, slower than any engine that can stream, and follows what is measured.
 * Past {@code budget} the session stops asking its client for frames (TCP then slows the sender); it asks again
 * once the estimate is under half of it. A byte cap bounds memory whatever the estimate says.
 *
 * <p>Threads: {@link #add} on the network thread, {@link #take}/{@link #decoded}/{@link #decoderReady} on the
 * session's lane, {@link #paused} on any. Each method holds the backlog's lock briefly; whichever of {@link #add}
 * and {@link #decoded} sees the backlog cross a mark decides, so exactly one side asks for the next frame.
 */
final class DecodeBacklog {
    /** Assumed before anything is measured: decoding as slow as real time. */
    static final double SEED_SECONDS_PER_SECOND = 1.0;
    /** Audio seconds over which the rate's EWMA forgets: older measurements weigh e^-1 after this much audio. */
    static final double RATE_MEMORY_SECONDS = 2.0;

    /** One queued chunk and when it arrived. */
    private record Chunk(byte[] pcm, long arrivedNanos) {
    }

    /** Audio taken for one decode, and when its decode could have started. */
    record Batch(byte[] pcm, long waitingSinceNanos) {
    }

    private final Ticker ticker;
    private final double bytesPerSecond;
    private final long budgetNanos;
    private final long maxBytes;
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>(); // guarded by this
    private long queuedBytes; // guarded by this
    private long decoderFreeNanos; // guarded by this
    private double secondsPerSecond = SEED_SECONDS_PER_SECOND; // guarded by this
    private volatile boolean paused;

    /**
     * @param bytesPerSecond the client's audio rate in bytes
     * @param budget         the longest the queued audio may be estimated to take to decode
     * @param maxBytes       the most bytes queued, whatever the estimate
     */
    DecodeBacklog(long bytesPerSecond, Duration budget, long maxBytes, Ticker ticker) {
        this.bytesPerSecond = bytesPerSecond;
        this.budgetNanos = budget.toNanos();
        this.maxBytes = maxBytes;
        this.ticker = ticker;
        this.decoderFreeNanos = ticker.nanos();
    }

    /**
     * Queues a chunk (the caller never writes it again). Returns whether the caller may ask the client for another
     * frame; if not, reading is paused until {@link #decoded} says otherwise.
     */
    synchronized boolean add(byte[] pcm) {
        chunks.add(new Chunk(pcm, ticker.nanos()));
        queuedBytes += pcm.length;
        if (queuedBytes > maxBytes || estimatedNanos() > budgetNanos) paused = true;
        return !paused;
    }

    /**
     * Takes whole chunks in arrival order, at least one and then while they fit in {@code limit} bytes, joined into
     * one array; {@code null} when nothing is queued. Report the decode with {@link #decoded}.
     */
    synchronized Batch take(long limit) {
        Chunk first = chunks.poll();
        if (first == null) return null;
        long waitingSince = Math.max(first.arrivedNanos(), decoderFreeNanos);
        if (chunks.isEmpty() || (long) first.pcm().length + chunks.peek().pcm().length > limit) {
            return new Batch(first.pcm(), waitingSince);
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        joined.writeBytes(first.pcm());
        while (!chunks.isEmpty() && (long) joined.size() + chunks.peek().pcm().length <= limit) {
            joined.writeBytes(chunks.poll().pcm());
        }
        return new Batch(joined.toByteArray(), waitingSince);
    }

    /**
     * The batch has been decoded (or dropped) now. Returns whether the caller must ask the client for the next frame:
     * reading was paused and the backlog is now under half of the budget and of the byte cap.
     */
    synchronized boolean decoded(Batch batch) {
        long now = ticker.nanos();
        double seconds = batch.pcm().length / bytesPerSecond;
        if (seconds > 0) {
            double measured = Math.max(0, now - batch.waitingSinceNanos()) / 1e9 / seconds;
            double weight = 1 - Math.exp(-seconds / RATE_MEMORY_SECONDS);
            secondsPerSecond += weight * (measured - secondsPerSecond);
        }
        decoderFreeNanos = now;
        queuedBytes -= batch.pcm().length;
        if (paused && queuedBytes <= maxBytes / 2 && estimatedNanos() <= budgetNanos / 2) {
            paused = false;
            return true;
        }
        return false;
    }

    /**
     * The decoder is ready for this session's audio from now on: time spent before (opening the engine session)
     * is not decode time.
     */
    synchronized void decoderReady() {
        decoderFreeNanos = ticker.nanos();
    }

    /** Drops everything queued (the session is closing); reading stays as it is. */
    synchronized void clear() {
        for (Chunk c : chunks) queuedBytes -= c.pcm().length; // a batch being decoded still comes back
        chunks.clear();
    }

    synchronized boolean isEmpty() {
        return chunks.isEmpty();
    }

    /** Whether reading from the client is paused because of this backlog. */
    boolean paused() {
        return paused;
    }

    /** The measured wall seconds per second of audio. */
    synchronized double secondsPerSecond() {
        return secondsPerSecond;
    }

    /** How long the queued audio is estimated to take to decode. */
    synchronized Duration estimate() {
        return Duration.ofNanos(estimatedNanos());
    }

    private long estimatedNanos() {
        return (long) (queuedBytes / bytesPerSecond * secondsPerSecond * 1e9);
    }
}
