package dev.voxgate.server.guard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Re-reading the key file when it changes: revocation with no restart, and failing closed on a broken file. */
class ApiKeysTest {
    private static ApiKeyFile.NewKey key(String name) {
        return ApiKeyFile.create(name, Set.of(), new SecureRandom(), Instant.now());
    }

    @Test
    void addedAndRevokedKeysTakeEffectOnTheNextCheck(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys");
        ApiKeyFile.NewKey a = key("a");
        ApiKeyFile.NewKey b = key("b");
        ApiKeyFile.write(file, List.of(a.entry()));
        ApiKeys keys = ApiKeys.load(file);
        assertThat(keys.authenticate(a.key())).map(ApiKeyFile.Entry::id).contains(a.entry().id());
        assertThat(keys.authenticate(b.key())).isEmpty();

        ApiKeyFile.write(file, List.of(a.entry(), b.entry()));
        assertThat(keys.authenticate(b.key())).isPresent();

        ApiKeyFile.write(file, List.of(b.entry()));
        assertThat(keys.authenticate(a.key())).as("revoked").isEmpty();
        assertThat(keys.authenticate(b.key())).isPresent();
    }

    @Test
    void aBrokenFileAcceptsNoKeyUntilFixed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys");
        ApiKeyFile.NewKey a = key("a");
        ApiKeyFile.write(file, List.of(a.entry()));
        ApiKeys keys = ApiKeys.load(file);
        Files.writeString(file, "not a key file\n");
        assertThat(keys.authenticate(a.key())).isEmpty();
        Files.delete(file);
        assertThat(keys.authenticate(a.key())).as("file deleted").isEmpty();
        ApiKeyFile.write(file, List.of(a.entry()));
        assertThat(keys.authenticate(a.key())).isPresent();
    }

    @Test
    void aWrongSecretForAKnownIdIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys");
        ApiKeyFile.NewKey a = key("a");
        ApiKeyFile.write(file, List.of(a.entry()));
        ApiKeys keys = ApiKeys.load(file);
        String forged = a.key().substring(0, 12) + "A".repeat(43);
        assertThat(keys.authenticate(forged)).isEmpty();
        assertThat(keys.authenticate(null)).isEmpty();
        assertThat(keys.authenticate("Bearer " + a.key())).isEmpty();
    }
}
