package dev.voxgate.server.guard;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The keys in {@code API_KEYS_FILE}, kept current: the file's size, time and inode are checked on each use and
 * the file is read again when they change, so {@code voxgate keys revoke} takes effect on the next request with
 * no restart. A file that turns unreadable or malformed fails closed (no key is accepted) until it is fixed.
 */
public final class ApiKeys {
    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    private static final ApiKeyFile.Entry DECOY = new ApiKeyFile.Entry("00000000", "decoy", new byte[32],
            Instant.EPOCH);

    private final Path file;
    private volatile Snapshot current;

    private record Stamp(Object fileKey, long size, long modifiedNanos) {
    }

    private record Snapshot(Stamp stamp, Map<String, ApiKeyFile.Entry> byId) {
    }

    private ApiKeys(Path file, Snapshot first) {
        this.file = file;
        this.current = first;
    }

    /** Reads the file now; a malformed or unreadable file stops start-up with the reason. */
    public static ApiKeys load(Path file) throws IOException {
        Stamp stamp = stamp(file);
        return new ApiKeys(file, new Snapshot(stamp, index(ApiKeyFile.read(file))));
    }

    /** The key's entry when {@code key} is a current key; empty for anything else, in the same way. */
    public Optional<ApiKeyFile.Entry> authenticate(String key) {
        String id = ApiKeyFile.idOf(key);
        if (id == null) return Optional.empty();
        ApiKeyFile.Entry entry = fresh().byId().get(id);
        // Always hash and compare, so an unknown id costs the same time as a wrong secret.
        boolean ok = entry != null ? entry.matches(key) : DECOY.matches(key);
        return ok && entry != null ? Optional.of(entry) : Optional.empty();
    }

    public int size() {
        return fresh().byId().size();
    }

    public Path file() {
        return file;
    }

    private Snapshot fresh() {
        Snapshot s = current;
        Stamp now;
        try {
            now = stamp(file);
        } catch (IOException e) {
            now = null;
        }
        if (Objects.equals(now, s.stamp())) return s;
        return reload(now);
    }

    private synchronized Snapshot reload(Stamp seen) {
        Snapshot s = current;
        if (Objects.equals(seen, s.stamp())) return s;
        Snapshot next;
        try {
            next = new Snapshot(seen, index(ApiKeyFile.read(file)));
            log.info("API key file {} re-read: {} key(s)", file, next.byId().size());
        } catch (IOException | KeyFileException e) {
            next = new Snapshot(seen, Map.of());
            log.error("API key file {} cannot be used ({}): no key is accepted until it is fixed", file,
                    e.getMessage());
        }
        current = next;
        return next;
    }

    private static Stamp stamp(Path file) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.fileKey(), a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
        } catch (NoSuchFileException e) {
            return new Stamp(null, -1, 0);
        }
    }

    private static Map<String, ApiKeyFile.Entry> index(List<ApiKeyFile.Entry> entries) {
        return entries.stream().collect(Collectors.toUnmodifiableMap(ApiKeyFile.Entry::id, Function.identity()));
    }
}
