package dev.voxgate.server.upload;

import dev.voxgate.server.config.UploadConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Start-up removes what a killed process left in DATA_DIR/incoming, and nothing a live one is receiving. */
@Timeout(60)
class UploadReceiverTest {
    @TempDir
    Path data;

    private UploadReceiver receiver() {
        return new UploadReceiver(new UploadConfig(1024 * 1024, Set.of("wav"), data));
    }

    /**
     * A second JVM that takes an upload folder's lock as a receiver does, says "locked", then waits to be killed.
     * Flush left: Checkstyle reads a text block's lines as code, and an indented {@code import java.nio...} line
     * looks to it like an inline qualified name.
     */
    private static final String HOLDER = """
import java.nio.channels.FileChannel;
import java.nio.file.*;
public class Holder {
    public static void main(String[] a) throws Exception {
        Path dir = Files.createDirectories(Path.of(a[0]));
        FileChannel c = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        c.lock();
        Files.writeString(dir.resolve("0d1c.upload"), "half an upload");
        Files.writeString(dir.resolve("MultiPart123.tmp"), "the parser's part");
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(600_000);
    }
}
""";

    @Test
    void uploadsOfAKilledProcessAreRemovedAtStartUpAndALiveOnesAreKept() throws Exception {
        Path source = Files.writeString(data.resolve("Holder.java"), HOLDER);
        Path folder = data.resolve("incoming").resolve("other-node");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, source.toString(), folder.toString()).redirectErrorStream(true)
                .start();
        try {
            String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(line).isEqualTo("locked");

            try (UploadReceiver ignored = receiver()) { // a live receiver, started and closed
                assertThat(folder.resolve("0d1c.upload")).as("another live process's upload in flight").exists();
            }

            holder.destroyForcibly(); // SIGKILL: no shutdown hook, nothing cleaned up
            assertThat(holder.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(folder.resolve("0d1c.upload")).exists();

            try (UploadReceiver restarted = receiver()) {
                assertThat(folder).as("the killed process's folder, with both files").doesNotExist();
                assertThat(restarted.folder()).isDirectory();
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aReceiverInThisProcessKeepsItsFolderWhileAnotherStarts() throws IOException {
        try (UploadReceiver first = receiver()) {
            Path upload = Files.writeString(first.folder().resolve("x.upload"), "in flight");
            try (UploadReceiver second = receiver()) {
                assertThat(upload).exists();
                assertThat(second.folder()).isNotEqualTo(first.folder());
            }
        }
    }

    @Test
    void leftoversWithoutALockAndOldLooseFilesAreRemoved() throws IOException {
        Path incoming = Files.createDirectories(data.resolve("incoming"));
        Path unlocked = Files.createDirectories(incoming.resolve("crashed"));
        Files.writeString(unlocked.resolve(".lock"), "");
        Files.writeString(unlocked.resolve("a.upload"), "x");
        Path noLock = Files.createDirectories(incoming.resolve("older"));
        Files.writeString(noLock.resolve("b.upload"), "x");
        Path oldLoose = Files.writeString(incoming.resolve("c.upload"), "x");
        Files.setLastModifiedTime(oldLoose, FileTime.from(Instant.now().minus(Duration.ofHours(7))));
        Path newLoose = Files.writeString(incoming.resolve("d.upload"), "x");
        try (UploadReceiver ignored = receiver()) {
            assertThat(unlocked).doesNotExist();
            assertThat(noLock).doesNotExist();
            assertThat(oldLoose).doesNotExist();
            assertThat(newLoose).as("a loose file may be an older node's upload in flight").exists();
        }
    }

    @Test
    void closingRemovesTheFolder() {
        UploadReceiver r = receiver();
        Path folder = r.folder();
        r.close();
        assertThat(folder).doesNotExist();
        try (UploadReceiver next = receiver()) {
            assertThat(next.folder()).isDirectory();
        }
    }
}
