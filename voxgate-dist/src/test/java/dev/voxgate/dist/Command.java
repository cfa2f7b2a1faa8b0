package dev.voxgate.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command to completion with a time limit. Standard output and standard error are kept apart:
 * tools such as podman print warnings on standard error that must not mix with what they answer.
 */
record Command(List<String> argv, Map<String, String> environment, Path directory) {
    record Result(int exitCode, String output, String errors) {
        Result orFail(String what) {
            if (exitCode != 0) throw new AssertionError(what + " failed (exit " + exitCode + "):\n"
                    + tail(output + errors));
            return this;
        }

        /** Both streams, for messages a command may print on either. */
        String all() {
            return output + errors;
        }
    }

    static Command of(String... argv) {
        return new Command(List.of(argv), Map.of(), null);
    }

    Command env(Map<String, String> env) {
        return new Command(argv, env, directory);
    }

    Command in(Path dir) {
        return new Command(argv, environment, dir);
    }

    /** Runs with the given environment only (nothing inherited), as a login on a bare machine would. */
    Result runClean(Duration timeout) {
        return run(timeout, true);
    }

    Result run(Duration timeout) {
        return run(timeout, false);
    }

    private Result run(Duration timeout, boolean clean) {
        try {
            Path log = Files.createTempFile("voxgate-command", ".out");
            Path err = Files.createTempFile("voxgate-command", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(log.toFile()).redirectError(err.toFile());
                if (directory != null) pb.directory(directory.toFile());
                if (clean) pb.environment().clear();
                pb.environment().putAll(environment);
                Process p = pb.start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor();
                    throw new AssertionError(String.join(" ", argv) + " did not finish within " + timeout + ":\n"
                            + tail(Files.readString(log, StandardCharsets.UTF_8)
                                    + Files.readString(err, StandardCharsets.UTF_8)));
                }
                return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + argv + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String tail(String output) {
        String[] lines = output.split("\n");
        return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 60), lines.length));
    }
}
