package dev.voxgate.server.guard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyFileTest {
    private static final Instant NOW = Instant.parse("2026-12-04T02:00:00Z");

    @Test
    void aNewKeyIsStoredAsItsHashOnlyAndReadsBack(@TempDir Path dir) throws Exception {
        ApiKeyFile.NewKey made = ApiKeyFile.create("laptop", Set.of(), new SecureRandom(), NOW);
        assertThat(made.key()).matches("vg_[0-9a-f]{8}_[A-Za-z0-9_-]{43}");
        assertThat(ApiKeyFile.idOf(made.key())).isEqualTo(made.entry().id());
        assertThat(made.toString()).doesNotContain(made.key());

        Path file = dir.resolve("keys");
        ApiKeyFile.write(file, List.of(made.entry()));
        String text = Files.readString(file);
        assertThat(text).doesNotContain(made.key()).doesNotContain(made.key().substring(12));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        List<ApiKeyFile.Entry> back = ApiKeyFile.read(file);
        assertThat(back).hasSize(1);
        assertThat(back.getFirst().id()).isEqualTo(made.entry().id());
        assertThat(back.getFirst().name()).isEqualTo("laptop");
        assertThat(back.getFirst().created()).isEqualTo(NOW);
        assertThat(back.getFirst().matches(made.key())).isTrue();
        assertThat(back.getFirst().matches(made.key() + "x")).isFalse();
    }

    @Test
    void aMissingFileIsEmpty(@TempDir Path dir) throws Exception {
        assertThat(ApiKeyFile.read(dir.resolve("none"))).isEmpty();
    }

    @Test
    void newIdsAvoidTakenOnes() {
        SecureRandom fixed = new SecureRandom() {
            private int n;

            @Override
            public int nextInt() {
                return n++ < 3 ? 0 : 1;
            }
        };
        ApiKeyFile.NewKey made = ApiKeyFile.create("a", Set.of("00000000"), fixed, NOW);
        assertThat(made.entry().id()).isEqualTo("00000001");
    }

    @Test
    void commentsAndBlankLinesAreSkipped() {
        String hash = "sha256:" + "ab".repeat(32);
        List<ApiKeyFile.Entry> entries = ApiKeyFile.parse("# c\n\n  \r\n0123abcd ci-runner " + hash
                + " 2026-01-01T00:00:00Z\r\n");
        assertThat(entries).singleElement().satisfies(e -> assertThat(e.name()).isEqualTo("ci-runner"));
    }

    @Test
    void everyMalformedLineIsRefusedWithItsNumber() {
        String hash = "sha256:" + "ab".repeat(32);
        assertThatThrownBy(() -> ApiKeyFile.parse("# x\n0123abcd name " + hash))
                .isInstanceOf(KeyFileException.class).hasMessageContaining("line 2").hasMessageContaining("4 fields");
        assertThatThrownBy(() -> ApiKeyFile.parse("0123ABCD n " + hash + " 2026-01-01T00:00:00Z"))
                .hasMessageContaining("line 1: the id");
        assertThatThrownBy(() -> ApiKeyFile.parse("0123abcd -n " + hash + " 2026-01-01T00:00:00Z"))
                .hasMessageContaining("the name");
        assertThatThrownBy(() -> ApiKeyFile.parse("0123abcd n sha256:abc 2026-01-01T00:00:00Z"))
                .hasMessageContaining("the hash");
        assertThatThrownBy(() -> ApiKeyFile.parse("0123abcd n " + hash + " yesterday"))
                .hasMessageContaining("creation time");
        String line = "0123abcd n " + hash + " 2026-01-01T00:00:00Z\n";
        assertThatThrownBy(() -> ApiKeyFile.parse(line + line)).hasMessageContaining("appears twice");
    }

    @Test
    void keyNamesAreChecked() {
        assertThatThrownBy(() -> ApiKeyFile.create("has space", Set.of(), new SecureRandom(), NOW))
                .isInstanceOf(KeyFileException.class);
        assertThatThrownBy(() -> ApiKeyFile.create("x".repeat(65), Set.of(), new SecureRandom(), NOW))
                .isInstanceOf(KeyFileException.class);
    }

    @Test
    void onlyKeysShapedLikeOursHaveAnId() {
        assertThat(ApiKeyFile.idOf(null)).isNull();
        assertThat(ApiKeyFile.idOf("")).isNull();
        assertThat(ApiKeyFile.idOf("sk-" + "a".repeat(52))).isNull();
        assertThat(ApiKeyFile.idOf("vg_0123abcd_" + "a".repeat(42) + "!")).isNull();
        assertThat(ApiKeyFile.idOf("vg_0123abcd_" + "a".repeat(43))).isEqualTo("0123abcd");
    }
}
