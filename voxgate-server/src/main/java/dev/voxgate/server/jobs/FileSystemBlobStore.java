package dev.voxgate.server.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** {@link BlobStore} in a folder ({@code DATA_DIR/blobs}). Keys are checked so none can leave it. */
public final class FileSystemBlobStore implements BlobStore {
    private final Path root;

    public FileSystemBlobStore(Path root) throws IOException {
        this.root = Files.createDirectories(root).toAbsolutePath().normalize();
    }

    @Override
    public void putFile(String key, Path file) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException crossDevice) {
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(file);
        }
    }

    @Override
    public void putBytes(String key, byte[] content) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public Optional<InputStream> open(String key) throws IOException {
        try {
            return Optional.of(Files.newInputStream(resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Path localCopy(String key) throws IOException {
        Path p = resolve(key);
        if (!Files.isRegularFile(p)) throw new NoSuchFileException(key);
        return p;
    }

    @Override
    public void deletePrefix(String prefix) throws IOException {
        Path p = resolve(prefix);
        if (!Files.exists(p)) return;
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }

    private Path resolve(String key) throws IOException {
        if (key == null || key.isBlank() || key.startsWith("/") || key.contains("\\") || key.contains("..")) {
            throw new IOException("invalid blob key: " + key);
        }
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root) || p.equals(root)) throw new FileAlreadyExistsException("invalid blob key: " + key);
        return p;
    }
}
