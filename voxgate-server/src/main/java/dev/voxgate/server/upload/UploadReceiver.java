package dev.voxgate.server.upload;

import dev.voxgate.server.config.UploadConfig;
import dev.voxgate.server.error.ClientText;
import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Receives a {@code multipart/form-data} upload with one audio file onto disk, within
 * {@code MAX_FILE_SIZE_MB}. A declared length over the limit is refused before reading the body;
 * an undeclared one (chunked) is cut off by the multipart parser at the limit, so a stranger
 * cannot fill the disk. Nothing the client names is used as a path.
 *
 * <p>Each receiver (each server process) writes into a folder of its own,
 * {@code DATA_DIR/incoming/<id>/}, and holds an OS lock on the {@code .lock} file in it for as long
 * as it lives; the OS drops the lock when the process ends, however it ends. At start-up every
 * folder whose lock can be taken belonged to a process that is gone, and is removed with whatever
 * it left (saved uploads and the multipart parser's temporary files), while the folders of live
 * nodes sharing {@code DATA_DIR} are left alone.
 */
public final class UploadReceiver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UploadReceiver.class);
    private static final String JETTY_MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";
    private static final int MAX_FIELD_CHARS = 4096;
    private static final int MAX_FIELDS = 32;
    private static final long FORM_OVERHEAD = 64 * 1024;
    static final String LOCK_FILE = ".lock";
    /**
     * Loose files in {@code incoming/} come from versions before the per-process folders; any node may still write
     * them.
     */
    private static final Duration LOOSE_FILE_AGE = Duration.ofHours(6);

    private final UploadConfig config;
    private final Path incoming;
    private final FileChannel lock;

    public UploadReceiver(UploadConfig config) {
        this.config = config;
        Path root = config.dataDir().resolve("incoming");
        this.incoming = root.resolve(UUID.randomUUID().toString());
        try {
            Files.createDirectories(root);
            sweep(root);
            Files.createDirectories(incoming);
            this.lock = FileChannel.open(incoming.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            if (lock.tryLock() == null) throw new IOException("a new folder is locked by someone else");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up " + root + " for uploads (DATA_DIR)", e);
        }
    }

    /** This process's folder for uploads in flight. */
    Path folder() {
        return incoming;
    }

    /** Removes this receiver's folder (uploads still in flight fail) and drops its lock. */
    @Override
    public void close() {
        try (lock) {
            deleteTree(incoming);
        } catch (IOException e) {
            log.warn("could not remove {}: {}; the next start-up will", incoming, e.toString());
        }
    }

    public UploadConfig config() {
        return config;
    }

    /** Reads the form; {@code fileField} must hold a non-empty file. */
    public Upload receive(Context ctx, String fileField) throws UploadException {
        HttpServletRequest req = ctx.req();
        // The header as sent: Jetty's getContentType() throws on a charset it does not know (charset=utf-6).
        String type = req.getHeader("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new UploadException.BadForm(null,
                    "send the audio as multipart/form-data with a '" + fileField + "' field");
        }
        long declared = req.getContentLengthLong();
        if (declared > config.maxFileBytes() + FORM_OVERHEAD) throw new UploadException.TooLarge(config.maxFileBytes());

        req.setAttribute(JETTY_MULTIPART_CONFIG, new MultipartConfigElement(
                incoming.toString(), config.maxFileBytes(), config.maxFileBytes() + FORM_OVERHEAD, 256 * 1024));
        List<Part> parts;
        try {
            parts = new ArrayList<>(req.getParts());
        } catch (ServletException | IOException | RuntimeException e) {
            // Jetty does not reuse a connection whose body its parser gave up on: say so, or clients reuse it and fail.
            ctx.header("Connection", "close");
            if (isSizeLimit(e)) throw new UploadException.TooLarge(config.maxFileBytes());
            String charset = unknownCharset(e);
            if (charset != null) {
                throw new UploadException.BadForm(null, "the Content-Type names a charset this server does not know ('"
                        + ClientText.clip(charset, 40) + "'); multipart/form-data needs none: leave it out or send"
                        + " charset=utf-8");
            }
            // The parser's text names server classes and temporary paths: the log gets it, the client a plain sentence.
            log.info("{} {}: multipart form not readable: {}", ctx.method(), ctx.path(), rootMessage(e));
            throw new UploadException.BadForm(null, "the multipart form could not be read: check that the body is"
                    + " multipart/form-data with the boundary its Content-Type names, and that it was sent whole");
        }
        Path target = incoming.resolve(UUID.randomUUID() + ".upload");
        try {
            Part file = null;
            Map<String, String> fields = new LinkedHashMap<>();
            Map<String, List<String>> multi = new LinkedHashMap<>();
            int count = 0;
            for (Part p : parts) {
                if (++count > MAX_FIELDS) throw new UploadException.BadForm(null,
                        "too many form fields (at most " + MAX_FIELDS + ")");
                if (p.getSubmittedFileName() != null || fileField.equals(p.getName())) {
                    if (fileField.equals(p.getName()) && file == null) file = p;
                    continue;
                }
                String value = text(p);
                fields.putIfAbsent(p.getName(), value);
                multi.computeIfAbsent(p.getName(), k -> new ArrayList<>()).add(value);
            }
            if (file == null) {
                String sent = parts.stream().filter(p -> p.getSubmittedFileName() != null).map(Part::getName)
                        .findFirst().orElse(null);
                throw new UploadException.BadForm(fileField, sent == null
                        ? "no file: send the audio in a form field named '" + fileField + "'"
                        : "the file is in a field named '" + sent + "'; send it in a field named '" + fileField + "'");
            }
            if (file.getSize() == 0) throw new UploadException.BadForm(fileField, "the file is empty (0 bytes)");
            try (InputStream in = file.getInputStream()) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return new Upload(target, FileNames.displayName(file.getSubmittedFileName()), Files.size(target), fields,
                    multi);
        } catch (IOException e) {
            deleteQuietly(target);
            throw new UncheckedIOException("could not save an upload in " + incoming, e);
        } catch (UploadException | RuntimeException e) {
            deleteQuietly(target);
            throw e;
        } finally {
            for (Part p : parts) {
                try {
                    p.delete();
                } catch (IOException ignored) {
                    // the container's own temporary file; it cleans up at the end of the request too
                }
            }
        }
    }

    private static String text(Part p) throws IOException, UploadException {
        if (p.getSize() > MAX_FIELD_CHARS * 4L) throw new UploadException.BadForm(p.getName(),
                "form field '" + p.getName() + "' is too long");
        try (InputStream in = p.getInputStream()) {
            String v = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (v.length() > MAX_FIELD_CHARS) throw new UploadException.BadForm(p.getName(),
                    "form field '" + p.getName() + "' is too long");
            return v;
        }
    }

    private static boolean isSizeLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("exceeds") || m.contains("too large") || m.contains("max file size")
                    || m.contains("413")) return true;
        }
        return false;
    }

    /** The charset named in the Content-Type that Jetty failed on, or null. */
    private static String unknownCharset(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnsupportedCharsetException u) return u.getCharsetName();
            if (t instanceof IllegalCharsetNameException i) return i.getCharsetName();
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /**
     * Removes what processes that are gone left in {@code incoming/}: nothing refers to it. A folder
     * whose lock can be taken has no live owner; loose files (older versions) go once they are old.
     */
    static void sweep(Path root) throws IOException {
        Instant cutoff = Instant.now().minus(LOOSE_FILE_AGE);
        List<Path> entries;
        try (var files = Files.list(root)) {
            entries = files.toList();
        }
        for (Path entry : entries) {
            if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                if (ownerIsGone(entry)) {
                    deleteTree(entry);
                    log.info("removed uploads left in {} by a process that has ended", entry);
                }
            } else {
                try {
                    if (Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toInstant()
                            .isBefore(cutoff)) deleteQuietly(entry);
                } catch (IOException e) {
                    // gone already
                }
            }
        }
    }

    private static boolean ownerIsGone(Path folder) {
        Path lockFile = folder.resolve(LOCK_FILE);
        if (!Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) return true;
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock taken = channel.tryLock();
            if (taken == null) return false; // another process holds it
            taken.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // a receiver in this very process holds it
        } catch (IOException e) {
            return false; // cannot tell: leave it
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) deleteQuietly(p);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
