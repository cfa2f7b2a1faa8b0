package dev.voxgate.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code voxgate keys}: the key is printed once as the last line, the file keeps only its hash. */
class KeysCommandTest {
    static String lastLine(String out) {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    @Test
    void createListRevoke(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("conf/api-keys");
        CliRun made = CliRun.of("keys", "create", "laptop", "--file", file.toString());
        assertThat(made.exitCode()).as(made.err()).isZero();
        String key = lastLine(made.out());
        assertThat(key).matches("vg_[0-9a-f]{8}_[A-Za-z0-9_-]{43}");
        String id = key.substring(3, 11);
        assertThat(Files.readString(file)).contains(id).contains("laptop").doesNotContain(key.substring(12));

        CliRun second = CliRun.of("keys", "create", "ci", "--file", file.toString());
        assertThat(lastLine(second.out())).isNotEqualTo(key);

        CliRun list = CliRun.of("keys", "list", "--file", file.toString());
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains(id).contains("laptop").contains("ci").doesNotContain(key.substring(12));

        CliRun revoked = CliRun.of("keys", "revoke", "laptop", "--file", file.toString());
        assertThat(revoked.exitCode()).as(revoked.err()).isZero();
        assertThat(revoked.out()).contains(id);
        assertThat(Files.readString(file)).doesNotContain(id).contains("ci");
    }

    @Test
    void mistakesAreExplained(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys");
        assertThat(CliRun.of("keys", "create", "a b", "--file", file.toString()).err()).contains("key name");
        CliRun.of("keys", "create", "dup", "--file", file.toString());
        CliRun.of("keys", "create", "dup", "--file", file.toString());
        CliRun ambiguous = CliRun.of("keys", "revoke", "dup", "--file", file.toString());
        assertThat(ambiguous.exitCode()).isEqualTo(2);
        assertThat(ambiguous.err()).contains("2 keys are named 'dup'");
        assertThat(CliRun.of("keys", "revoke", "nobody", "--file", file.toString()).err()).contains("no key");
        Files.writeString(file, "garbage\n");
        CliRun broken = CliRun.of("keys", "list", "--file", file.toString());
        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.err()).contains("line 1");
    }
}
