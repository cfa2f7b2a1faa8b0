package dev.voxgate.engine.vosk;

import dev.voxgate.api.EngineUnavailableException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Extracts the bundled model (the {@code vosk-model-en} Maven artifact, carried in this module's
 * jar as one zip resource) into a cache folder on first use.
 *
 * <p>Crash safety: the model is extracted into a private temporary folder, a marker file with the
 * model's uuid is written last, and the folder is then renamed into place. A folder without the
 * marker, or with another uuid, is never used: it is deleted and extracted again. Two processes
 * extracting at once each use their own temporary folder; the first rename wins.
 */
final class VoskModelCache {
    static final String RESOURCE = "/dev/voxgate/engine/vosk/model/vosk-model-en.zip";
    static final String PREFIX = "assets/model-en-us/";
    static final String MARKER = ".voxgate-extracted";

    private VoskModelCache() {
    }

    /** Returns the folder of the extracted bundled model, extracting it if needed. */
    static Path bundledModel(Path cacheDir) throws EngineUnavailableException {
        String uuid = bundledUuid();
        Path target = cacheDir.resolve("vosk-model-en-us-" + uuid);
        if (isComplete(target, uuid)) return target;
        try {
            Files.createDirectories(cacheDir);
            if (Files.exists(target)) deleteTree(target); // left by a crash or another version
            Path temp = cacheDir.resolve(".extract-" + UUID.randomUUID());
            try {
                extract(temp);
                Files.writeString(temp.resolve(MARKER), uuid, StandardCharsets.UTF_8);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                    // Another process finished first; its copy is as good as ours.
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("cache folder " + cacheDir + " does not support atomic rename", e);
                }
            } finally {
                if (Files.exists(temp)) deleteTree(temp);
            }
            if (!isComplete(target, uuid)) throw new IOException("extracted model at " + target + " is incomplete");
            return target;
        } catch (IOException e) {
            throw new EngineUnavailableException("Could not extract the bundled Vosk model into " + cacheDir
                    + " (" + e.getMessage() + "); set VOXGATE_CACHE_DIR to a writable folder with ~100 MB free", e);
        }
    }

    static boolean isComplete(Path dir, String uuid) {
        try {
            Path marker = dir.resolve(MARKER);
            return Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.UTF_8).strip().equals(uuid)
                    && Files.isRegularFile(dir.resolve("am/final.mdl"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The uuid of the bundled model, read from the zip without extracting it. */
    static String bundledUuid() throws EngineUnavailableException {
        try (ZipInputStream zip = open()) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().equals(PREFIX + "uuid")) {
                    return new String(zip.readAllBytes(), StandardCharsets.UTF_8).strip();
                }
            }
        } catch (IOException e) {
            throw new EngineUnavailableException("The bundled Vosk model is unreadable: " + e.getMessage(), e);
        }
        throw new EngineUnavailableException("The bundled Vosk model has no uuid file; rebuild with 'mvn install'");
    }

    private static ZipInputStream open() throws EngineUnavailableException {
        InputStream in = VoskModelCache.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new EngineUnavailableException("The Vosk model is not bundled in this build (" + RESOURCE
                    + " missing): build with Maven, which takes it from com.alphacephei:vosk-model-en, or set "
                    + "VOSK_MODEL_PATH");
        }
        return new ZipInputStream(in);
    }

    private static void extract(Path dir) throws IOException, EngineUnavailableException {
        Files.createDirectories(dir);
        Path root = dir.toAbsolutePath().normalize();
        try (ZipInputStream zip = open()) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (!e.getName().startsWith(PREFIX) || e.isDirectory()) continue;
                Path out = root.resolve(e.getName().substring(PREFIX.length())).normalize();
                if (!out.startsWith(root)) throw new IOException("unsafe entry in model zip: " + e.getName());
                Files.createDirectories(out.getParent());
                Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
