package dev.voxgate.server.guard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API key file ({@code API_KEYS_FILE}): one line per key with its id, name, the SHA-256 of the key and
 * when it was made; never the key itself. {@code voxgate keys} writes it, the server reads it.
 *
 * <pre>
 * # Voxgate API keys …
 * 3f9a0c1d  laptop  sha256:9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca7  2026-12-04T02:00:00Z
 * </pre>
 *
 * <p>A key reads {@code vg_<id>_<secret>}: the id picks the line, so checking a key is one hash and one
 * constant-time comparison. The secret is 256 random bits, which is why a plain SHA-256 is the right hash
 * here (a slow password hash protects guessable secrets; these are not guessable).
 */
public final class ApiKeyFile {
    /** A file larger than this is not a key file; reading stops before it can cost memory. */
    static final int MAX_BYTES = 1 << 20;
    private static final String HEADER = """
            # Voxgate API keys: id, name, SHA-256 of the key, created. Written by `voxgate keys`; the keys
            # themselves are shown once when made and are not stored anywhere. Delete a line (or
            # `voxgate keys revoke ID`) to revoke.
            """;
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern KEY = Pattern.compile("vg_([0-9a-f]{8})_[A-Za-z0-9_-]{43}");
    private static final Pattern FIELDS = Pattern.compile("[ \\t]+");
    private static final HexFormat HEX = HexFormat.of();

    private ApiKeyFile() {
    }

    /** One line of the file. */
    public record Entry(String id, String name, byte[] sha256, Instant created) {
        public Entry {
            if (!ID.matcher(id).matches()) throw new KeyFileException("a key id is 8 lowercase hex digits: " + id);
            checkName(name);
            if (sha256.length != 32) throw new KeyFileException("a key hash is 32 bytes");
            sha256 = sha256.clone();
        }

        @Override
        public byte[] sha256() {
            return sha256.clone();
        }

        /** Whether {@code key} is this entry's key, in time that does not depend on where they differ. */
        boolean matches(String key) {
            return MessageDigest.isEqual(sha256, hash(key));
        }

        String line() {
            return id + "\t" + name + "\tsha256:" + HEX.formatHex(sha256) + "\t" + created;
        }
    }

    /** A key just made: shown once, then only its entry is kept. */
    public record NewKey(String key, Entry entry) {
        @Override
        public String toString() {
            return "NewKey[" + entry.id() + "]"; // never the key, should one ever be logged
        }
    }

    /** Makes a new key named {@code name} whose id is not among {@code taken}. */
    public static NewKey create(String name, Set<String> taken, SecureRandom random, Instant now) {
        checkName(name);
        String id;
        do {
            id = HEX.toHexDigits(random.nextInt());
        } while (taken.contains(id));
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String key = "vg_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new NewKey(key, new Entry(id, name, hash(key), now.truncatedTo(ChronoUnit.SECONDS)));
    }

    /** The id a presented key claims, or null when it is not shaped like a Voxgate key. */
    static String idOf(String key) {
        if (key == null || key.length() != 55) return null;
        var m = KEY.matcher(key);
        return m.matches() ? m.group(1) : null;
    }

    /** Parses a key file's text; any line it does not understand is an error naming the line. */
    public static List<Entry> parse(String text) {
        List<Entry> entries = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            Entry e = parseLine(line, i + 1);
            if (!ids.add(e.id())) throw new KeyFileException("line " + (i + 1) + ": key id " + e.id()
                    + " appears twice");
            entries.add(e);
        }
        return List.copyOf(entries);
    }

    private static Entry parseLine(String line, int number) {
        String[] f = FIELDS.split(line);
        if (f.length != 4) throw new KeyFileException("line " + number
                + ": expected 4 fields (id, name, sha256:HASH, created), found " + f.length);
        if (!ID.matcher(f[0]).matches()) throw new KeyFileException("line " + number
                + ": the id must be 8 lowercase hex digits");
        if (!NAME.matcher(f[1]).matches()) throw new KeyFileException("line " + number
                + ": the name must be 1 to 64 letters, digits, '.', '_', '@' or '-'");
        if (!HASH.matcher(f[2]).matches()) throw new KeyFileException("line " + number
                + ": the hash must be sha256: and 64 lowercase hex digits");
        Instant created;
        try {
            created = Instant.parse(f[3]);
        } catch (DateTimeParseException e) {
            throw new KeyFileException("line " + number + ": the creation time is not an ISO-8601 instant");
        }
        return new Entry(f[0], f[1], HEX.parseHex(f[2].substring("sha256:".length())), created);
    }

    public static String format(List<Entry> entries) {
        StringBuilder out = new StringBuilder(HEADER);
        for (Entry e : entries) out.append(e.line()).append('\n');
        return out.toString();
    }

    /** Reads a key file; a missing file is an empty one (the first {@code keys create} makes it). */
    public static List<Entry> read(Path file) throws IOException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) throw new KeyFileException("larger than " + MAX_BYTES + " bytes");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Replaces the file in one step (a server re-reading it never sees half of it), readable by its owner only.
     */
    public static void write(Path file, List<Entry> entries) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".voxgate-keys", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its own permissions apply
            }
            Files.writeString(tmp, format(entries));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new KeyFileException("a key name is 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a"
                    + " letter or digit");
        }
    }
}
