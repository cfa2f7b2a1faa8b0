package dev.voxgate.jobs.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The local folder ({@code DATA_DIR/spool}) that holds what is not in the store yet: sessions being recorded
 * ({@code recording/}) and finished files waiting for S3 ({@code pending/<key>}). Its size is bounded by
 * {@code SPOOL_MAX_MB}; {@link #checkRoom} is asked before new work that would add to it.
 *
 * <p>The size is measured by walking the folder (it holds few files: those of open sessions and those S3 did not
 * take yet), at most once per {@link #MEASURE_EVERY_NANOS}, so a burst of new sessions costs one walk.
 */
public final class Spool {
    static final long MEASURE_EVERY_NANOS = 200_000_000L;

    private final Path root;
    private final Path recording;
    private final Path pending;
    private final long maxBytes;
    private final AtomicLong measuredBytes = new AtomicLong();
    private volatile long measuredAt = Long.MIN_VALUE / 2;

    public Spool(Path root, long maxBytes) throws IOException {
        this.root = Files.createDirectories(root).toAbsolutePath().normalize();
        this.recording = Files.createDirectories(this.root.resolve("recording"));
        this.pending = Files.createDirectories(this.root.resolve("pending"));
        this.maxBytes = maxBytes;
    }

    public Path root() {
        return root;
    }

    /** Where sessions are recorded while they run. */
    public Path recording() {
        return recording;
    }

    /** Where finished files wait for the remote store, at {@code pending/<key>}. */
    public Path pending() {
        return pending;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Bytes in the spool now (recordings and pending files). */
    public long usedBytes() {
        long now = System.nanoTime();
        if (now - measuredAt < MEASURE_EVERY_NANOS) return measuredBytes.get();
        long n = measure();
        measuredBytes.set(n);
        measuredAt = now;
        return n;
    }

    /** Forgets the last measurement (after the spool changed a lot, e.g. an upload round). */
    public void remeasure() {
        measuredAt = Long.MIN_VALUE / 2;
    }

    public boolean isFull() {
        return usedBytes() >= maxBytes;
    }

    /**
     * @throws SpoolFullException when {@code more} bytes would take the spool over {@code SPOOL_MAX_MB}, saying so
     */
    public void checkRoom(long more) throws SpoolFullException {
        long used = usedBytes();
        if (used >= maxBytes || used + Math.max(0, more) > maxBytes) {
            throw new SpoolFullException("the local spool is full (" + mb(used) + " of SPOOL_MAX_MB=" + mb(maxBytes)
                    + " MB hold files waiting for storage); retry once the storage is back and the spool has drained");
        }
    }

    private long measure() {
        long[] total = {0};
        try (Stream<Path> walk = Files.walk(root)) {
            walk.forEach(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile()) total[0] += a.size();
                } catch (NoSuchFileException gone) {
                    // uploaded while we walked
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return measuredBytes.get();
        }
        return total[0];
    }

    private static long mb(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
