package dev.voxgate.server.guard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A real key file for tests, as {@code voxgate keys create} writes it; the keys by name. */
public final class GuardKeys {
    private final Path file;
    private final Map<String, ApiKeyFile.NewKey> keys = new LinkedHashMap<>();

    private GuardKeys(Path file) {
        this.file = file;
    }

    public static GuardKeys create(String... names) {
        try {
            GuardKeys k = new GuardKeys(Files.createTempDirectory("voxgate-keys").resolve("api-keys"));
            for (String n : names) k.keys.put(n, ApiKeyFile.create(n, Set.of(), new SecureRandom(), Instant.now()));
            k.save();
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path file() {
        return file;
    }

    public String key(String name) {
        return keys.get(name).key();
    }

    public String id(String name) {
        return keys.get(name).entry().id();
    }

    public List<String> allKeys() {
        return keys.values().stream().map(ApiKeyFile.NewKey::key).toList();
    }

    /** Takes a key out of the file, as {@code voxgate keys revoke} does; a running server notices. */
    public void revoke(String name) {
        keys.remove(name);
        save();
    }

    private void save() {
        try {
            ApiKeyFile.write(file, new ArrayList<>(keys.values().stream().map(ApiKeyFile.NewKey::entry).toList()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
