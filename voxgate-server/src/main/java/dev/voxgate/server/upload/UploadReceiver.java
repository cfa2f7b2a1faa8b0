package dev.voxgate.server.upload;

import dev.voxgate.server.config.UploadConfig;
import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
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
 */
public final class UploadReceiver {
    private static final String JETTY_MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";
    private static final int MAX_FIELD_CHARS = 4096;
    private static final int MAX_FIELDS = 32;
    private static final long FORM_OVERHEAD = 64 * 1024;

    private final UploadConfig config;
    private final Path incoming;

    public UploadReceiver(UploadConfig config) {
        this.config = config;
        this.incoming = config.dataDir().resolve("incoming");
        try {
            Files.createDirectories(incoming);
            sweep();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + incoming + " (DATA_DIR)", e);
        }
    }

    public UploadConfig config() {
        return config;
    }

    /** Reads the form; {@code fileField} must hold a non-empty file. */
    public Upload receive(Context ctx, String fileField) throws UploadException {
        HttpServletRequest req = ctx.req();
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new UploadException.BadForm(null, "send the audio as multipart/form-data with a '" + fileField + "' field");
        }
        long declared = req.getContentLengthLong();
        if (declared > config.maxFileBytes() + FORM_OVERHEAD) throw new UploadException.TooLarge(config.maxFileBytes());

        req.setAttribute(JETTY_MULTIPART_CONFIG, new MultipartConfigElement(
                incoming.toString(), config.maxFileBytes(), config.maxFileBytes() + FORM_OVERHEAD, 256 * 1024));
        List<Part> parts;
        try {
            parts = new ArrayList<>(req.getParts());
        } catch (ServletException | IOException | RuntimeException e) {
            if (isSizeLimit(e)) throw new UploadException.TooLarge(config.maxFileBytes());
            throw new UploadException.BadForm(null, "the multipart form could not be read: " + rootMessage(e));
        }
        Path target = incoming.resolve(UUID.randomUUID() + ".upload");
        try {
            Part file = null;
            Map<String, String> fields = new LinkedHashMap<>();
            Map<String, List<String>> multi = new LinkedHashMap<>();
            int count = 0;
            for (Part p : parts) {
                if (++count > MAX_FIELDS) throw new UploadException.BadForm(null, "too many form fields (at most " + MAX_FIELDS + ")");
                if (p.getSubmittedFileName() != null || fileField.equals(p.getName())) {
                    if (fileField.equals(p.getName()) && file == null) file = p;
                    continue;
                }
                String value = text(p);
                fields.putIfAbsent(p.getName(), value);
                multi.computeIfAbsent(p.getName(), k -> new ArrayList<>()).add(value);
            }
            if (file == null) {
                String sent = parts.stream().filter(p -> p.getSubmittedFileName() != null).map(Part::getName).findFirst().orElse(null);
                throw new UploadException.BadForm(fileField, sent == null
                        ? "no file: send the audio in a form field named '" + fileField + "'"
                        : "the file is in a field named '" + sent + "'; send it in a field named '" + fileField + "'");
            }
            if (file.getSize() == 0) throw new UploadException.BadForm(fileField, "the file is empty (0 bytes)");
            try (InputStream in = file.getInputStream()) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return new Upload(target, FileNames.displayName(file.getSubmittedFileName()), Files.size(target), fields, multi);
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
        if (p.getSize() > MAX_FIELD_CHARS * 4L) throw new UploadException.BadForm(p.getName(), "form field '" + p.getName() + "' is too long");
        try (InputStream in = p.getInputStream()) {
            String v = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (v.length() > MAX_FIELD_CHARS) throw new UploadException.BadForm(p.getName(), "form field '" + p.getName() + "' is too long");
            return v;
        }
    }

    private static boolean isSizeLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("exceeds") || m.contains("too large") || m.contains("max file size") || m.contains("413")) return true;
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /**
     * Uploads left behind by a crash are useless: nothing refers to them. Only old ones go, since
     * nodes sharing DATA_DIR may be receiving uploads right now.
     */
    private void sweep() throws IOException {
        java.time.Instant cutoff = java.time.Instant.now().minus(java.time.Duration.ofHours(6));
        try (var files = Files.list(incoming)) {
            files.filter(f -> f.getFileName().toString().endsWith(".upload")).filter(f -> {
                try {
                    return Files.getLastModifiedTime(f).toInstant().isBefore(cutoff);
                } catch (IOException e) {
                    return false;
                }
            }).forEach(UploadReceiver::deleteQuietly);
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
