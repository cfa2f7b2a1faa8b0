package dev.voxgate.jobs.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A remote {@link BlobStore} (S3) with a local spool in front, so nothing is lost while the remote is down.
 *
 * <p>A put goes to the remote store; when that fails (or the remote is known to be down), the file is moved into
 * {@link Spool#pending()} under its key and the put succeeds: the caller's data is safe on local disk. A retry loop
 * uploads the spooled files with exponential backoff ({@link #BACKOFF_MIN} doubling to {@link #BACKOFF_MAX}, times
 * from the injected clock), also after a restart, since the spool is just files named by their keys. Reads and
 * deletes see spooled files as if they were stored. When the spool is full ({@code SPOOL_MAX_MB}) a put that would
 * spool throws {@link SpoolFullException} instead.
 *
 * <p>Thread-safe. The retry loop runs on one daemon thread, {@code voxgate-spool-upload}.
 */
public final class SpoolingBlobStore implements BlobStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpoolingBlobStore.class);
    static final Duration BACKOFF_MIN = Duration.ofSeconds(1);
    static final Duration BACKOFF_MAX = Duration.ofMinutes(5);

    /** The remote store as last seen. */
    public enum State { UP, DOWN }

    private final BlobStore remote;
    private final Spool spool;
    private final Clock clock;
    private final ScheduledExecutorService loop;
    private final AtomicLong uploadFailures = new AtomicLong();
    private final AtomicLong uploaded = new AtomicLong();
    private final Object retryLock = new Object();
    private volatile State state = State.UP;
    private volatile Instant nextAttempt = Instant.MIN;
    private volatile Duration backoff = BACKOFF_MIN;

    /**
     * @param retryLoop whether to start the background retry loop (tests drive {@link #retryNow} themselves)
     */
    public SpoolingBlobStore(BlobStore remote, Spool spool, Clock clock, boolean retryLoop) {
        this.remote = remote;
        this.spool = spool;
        this.clock = clock;
        if (pendingCount() > 0) {
            state = State.DOWN; // files left by the last run: upload them first
            nextAttempt = clock.instant();
            log.info("storage spool: {} files from an earlier run wait for the remote store; uploading them",
                    pendingCount());
        }
        if (retryLoop) {
            loop = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "voxgate-spool-upload");
                t.setDaemon(true);
                return t;
            });
            loop.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        } else {
            loop = null;
        }
    }

    public State state() {
        return state;
    }

    public Spool spool() {
        return spool;
    }

    /** Attempts to store a file remotely that failed (each one counts, including retries). */
    public long uploadFailures() {
        return uploadFailures.get();
    }

    /** Spooled files the retry loop has uploaded since start. */
    public long uploadedFromSpool() {
        return uploaded.get();
    }

    /** Files waiting in the spool for the remote store. */
    public int pendingCount() {
        return pendingFiles().size();
    }

    @Override
    public void putFile(BlobKey key, Path source) throws IOException {
        if (state == State.UP) {
            try {
                remote.putFile(key, source);
                return;
            } catch (IOException e) {
                if (!Files.exists(source)) throw e;
                markDown(e);
            }
        }
        spoolFile(key, source);
    }

    @Override
    public void put(BlobKey key, InputStream content) throws IOException {
        Path staged = spool.root().resolve(".staging-" + UUID.randomUUID());
        try {
            Files.copy(content, staged, StandardCopyOption.REPLACE_EXISTING);
            putFile(key, staged);
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    @Override
    public Optional<InputStream> open(BlobKey key) throws IOException {
        Path p = spooled(key);
        try {
            return Optional.of(Files.newInputStream(p));
        } catch (NoSuchFileException notSpooled) {
            return remote.open(key);
        }
    }

    @Override
    public LocalBlob openLocal(BlobKey key) throws IOException {
        Path p = spooled(key);
        if (Files.isRegularFile(p)) {
            // A copy: the retry loop may upload and remove the spooled file while the caller reads.
            Path copy = spool.root().resolve(".read-" + UUID.randomUUID());
            try {
                Files.copy(p, copy);
                return new LocalBlob() {
                    @Override
                    public Path path() {
                        return copy;
                    }

                    @Override
                    public void close() throws IOException {
                        Files.deleteIfExists(copy);
                    }
                };
            } catch (NoSuchFileException uploadedMeanwhile) {
                // read it from the remote store below
            }
        }
        return remote.openLocal(key);
    }

    @Override
    public OptionalLong size(BlobKey key) throws IOException {
        try {
            return OptionalLong.of(Files.size(spooled(key)));
        } catch (NoSuchFileException notSpooled) {
            return remote.size(key);
        }
    }

    @Override
    public boolean delete(BlobKey key) throws IOException {
        boolean local = Files.deleteIfExists(spooled(key));
        try {
            return remote.delete(key) || local;
        } catch (IOException e) {
            if (local) return true; // it was never stored remotely
            throw e;
        }
    }

    @Override
    public int deletePrefix(String prefix) throws IOException {
        BlobKey.checkPrefix(prefix);
        int n = 0;
        for (BlobKey k : pendingFiles()) {
            if (k.startsWith(prefix) && Files.deleteIfExists(spooled(k))) n++;
        }
        return n + remote.deletePrefix(prefix);
    }

    @Override
    public List<BlobKey> listOlderThan(String prefix, Instant cutoff) throws IOException {
        BlobKey.checkPrefix(prefix);
        TreeSet<BlobKey> keys = new TreeSet<>(remote.listOlderThan(prefix, cutoff));
        for (BlobKey k : pendingFiles()) {
            try {
                if (k.startsWith(prefix) && Files.getLastModifiedTime(spooled(k)).toInstant().isBefore(cutoff)) {
                    keys.add(k);
                }
            } catch (NoSuchFileException uploaded) {
                // gone to the remote store meanwhile; its listing above may or may not have it
            }
        }
        return new ArrayList<>(keys);
    }

    /**
     * Uploads every spooled file now, oldest first, stopping at the first failure (then the backoff grows).
     *
     * @return whether the spool is empty afterwards
     */
    public boolean retryNow() {
        synchronized (retryLock) {
            for (BlobKey key : pendingFiles()) {
                Path p = spooled(key);
                if (!Files.exists(p)) continue;
                try {
                    remote.putFile(key, p);
                    uploaded.incrementAndGet();
                } catch (IOException e) {
                    uploadFailures.incrementAndGet();
                    backoff = backoff.multipliedBy(2).compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX
                            : backoff.multipliedBy(2);
                    nextAttempt = clock.instant().plus(backoff);
                    state = State.DOWN;
                    log.warn("storage spool: remote store still failing ({}); {} files wait, next try in {} s",
                            e.getMessage(), pendingCount(), backoff.toSeconds());
                    spool.remeasure();
                    return false;
                }
            }
            spool.remeasure();
            if (state == State.DOWN) log.info("storage spool: remote store is back, the spool is empty");
            state = State.UP;
            backoff = BACKOFF_MIN;
            return true;
        }
    }

    /** The retry loop's step: tries again once the backoff has passed (by the injected clock). */
    void tick() {
        try {
            if (state == State.DOWN && !clock.instant().isBefore(nextAttempt)) retryNow();
        } catch (RuntimeException e) {
            log.error("storage spool: the retry loop failed; it tries again", e);
        }
    }

    /** When the next retry is due; for tests and {@code /ready}. */
    public Instant nextAttempt() {
        return nextAttempt;
    }

    @Override
    public void close() {
        if (loop != null) loop.shutdownNow();
        if (remote instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("closing the remote store: {}", e.toString());
            }
        }
    }

    private void markDown(IOException e) {
        uploadFailures.incrementAndGet();
        if (state == State.UP) {
            log.warn("storage: the remote store failed ({}); files are kept in {} and uploaded when it is back",
                    e.getMessage(), spool.pending());
        }
        state = State.DOWN;
        backoff = BACKOFF_MIN;
        nextAttempt = clock.instant().plus(backoff);
    }

    private void spoolFile(BlobKey key, Path source) throws IOException {
        Path target = spooled(key);
        // A recording already in the spool's folder is counted; anything else must fit.
        if (!source.toAbsolutePath().normalize().startsWith(spool.root())) spool.checkRoom(Files.size(source));
        Files.createDirectories(target.getParent());
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException crossDevice) {
            Path staged = target.resolveSibling(".part-" + UUID.randomUUID());
            Files.copy(source, staged);
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(source);
        }
        Files.setLastModifiedTime(target, FileTime.from(clock.instant()));
        spool.remeasure();
    }

    private Path spooled(BlobKey key) {
        return spool.pending().resolve(key.value());
    }

    /** Spooled keys, oldest first. */
    private List<BlobKey> pendingFiles() {
        Path root = spool.pending();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(SpoolingBlobStore::modified))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
        List<BlobKey> keys = new ArrayList<>();
        for (Path p : files) {
            try {
                keys.add(BlobKey.of(root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/")));
            } catch (IllegalArgumentException notOurs) {
                // a file someone put there by hand: left alone
            }
        }
        return keys;
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
