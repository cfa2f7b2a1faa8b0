package dev.voxgate.jobs.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A {@link BlobStore} in a folder: key {@code a/b/c} is the file {@code ROOT/a/b/c}. Objects are
 * first written under {@code ROOT/.tmp} (a name no key can take) and then renamed into place, so a
 * reader never sees half a file. An object's stored time is the file's modification time, set from
 * the injected clock when it is stored, so retention follows the same clock as the job rows.
 *
 * <p>Several processes may share the folder (a shared volume) until the S3 store exists.
 */
public final class FileSystemBlobStore implements BlobStore {
    private static final String TMP = ".tmp";

    private final Path root;
    private final Path tmp;
    private final Clock clock;

    public FileSystemBlobStore(Path root, Clock clock) throws IOException {
        this.root = Files.createDirectories(root).toAbsolutePath().normalize();
        this.tmp = Files.createDirectories(this.root.resolve(TMP));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Path root() {
        return root;
    }

    @Override
    public void putFile(BlobKey key, Path source) throws IOException {
        Path target = resolve(key);
        try {
            moveIntoPlace(source, target);
        } catch (AtomicMoveNotSupportedException crossDevice) {
            // Another file system: copy beside the target first so the final rename stays atomic.
            Path staged = stage();
            try {
                Files.copy(source, staged, StandardCopyOption.REPLACE_EXISTING);
                moveIntoPlace(staged, target);
            } finally {
                Files.deleteIfExists(staged);
            }
            Files.deleteIfExists(source);
        }
        Files.setLastModifiedTime(target, FileTime.from(clock.instant()));
    }

    @Override
    public void put(BlobKey key, InputStream content) throws IOException {
        Path target = resolve(key);
        Path staged = stage();
        try {
            Files.copy(content, staged, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(staged, FileTime.from(clock.instant()));
            moveIntoPlace(staged, target);
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    @Override
    public Optional<InputStream> open(BlobKey key) throws IOException {
        try {
            return Optional.of(Files.newInputStream(resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public LocalBlob openLocal(BlobKey key) throws IOException {
        Path p = resolve(key);
        if (!Files.isRegularFile(p)) throw new NoSuchFileException(key.value());
        return new LocalBlob() {
            @Override
            public Path path() {
                return p;
            }

            @Override
            public void close() {
                // The store's own file: nothing to clean up.
            }
        };
    }

    @Override
    public OptionalLong size(BlobKey key) throws IOException {
        try {
            return OptionalLong.of(Files.size(resolve(key)));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public boolean delete(BlobKey key) throws IOException {
        Path p = resolve(key);
        boolean deleted = Files.deleteIfExists(p);
        pruneEmptyParents(p.getParent());
        return deleted;
    }

    @Override
    public int deletePrefix(String prefix) throws IOException {
        Path dir = resolvePrefix(prefix);
        if (!Files.isDirectory(dir)) return 0;
        int n = 0;
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.filter(p -> !p.startsWith(tmp) && !p.equals(root)).sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            if (Files.isDirectory(p)) {
                deleteEmptyDirectory(p);
            } else if (Files.deleteIfExists(p)) {
                n++;
            }
        }
        if (!dir.equals(root)) pruneEmptyParents(dir.getParent());
        return n;
    }

    @Override
    public List<BlobKey> listOlderThan(String prefix, Instant cutoff) throws IOException {
        Path dir = resolvePrefix(prefix);
        if (!Files.isDirectory(dir)) return List.of();
        List<BlobKey> keys = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> !p.startsWith(tmp)).forEach(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile() && a.lastModifiedTime().toInstant().isBefore(cutoff)) {
                        keys.add(BlobKey.of(root.relativize(p).toString()
                                .replace(p.getFileSystem().getSeparator(), "/")));
                    }
                } catch (NoSuchFileException gone) {
                    // deleted while we walked
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        keys.sort(null);
        return keys;
    }

    private Path resolve(BlobKey key) throws IOException {
        Path p = root.resolve(key.value()).normalize();
        // BlobKey already rules out '..' and absolute keys; this guards against a future rule change.
        if (!p.startsWith(root) || p.equals(root)
                || p.startsWith(tmp)) throw new IOException("blob key leaves the store: " + key);
        return p;
    }

    private Path resolvePrefix(String prefix) throws IOException {
        BlobKey.checkPrefix(prefix);
        if (prefix.isEmpty()) return root;
        Path p = root.resolve(prefix.substring(0, prefix.length() - 1)).normalize();
        if (!p.startsWith(root) || p.startsWith(tmp)) throw new IOException("blob prefix leaves the store: " + prefix);
        return p;
    }

    private Path stage() {
        return tmp.resolve(UUID.randomUUID() + ".part");
    }

    /**
     * Renames into place. A concurrent delete may prune the freshly made parent folder between
     * creating it and the rename, so that case is retried a few times.
     */
    private static void moveIntoPlace(Path from, Path target) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Files.createDirectories(target.getParent());
            try {
                Files.move(from, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (NoSuchFileException e) {
                if (attempt >= 3 || !Files.exists(from)) throw e;
            }
        }
    }

    /** Removes folders left empty, up to the store's root. */
    private void pruneEmptyParents(Path dir) throws IOException {
        while (dir != null && dir.startsWith(root) && !dir.equals(root) && !dir.equals(tmp)) {
            if (!deleteEmptyDirectory(dir)) return;
            dir = dir.getParent();
        }
    }

    private static boolean deleteEmptyDirectory(Path dir) throws IOException {
        try {
            return Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException e) {
            return false;
        }
    }
}
