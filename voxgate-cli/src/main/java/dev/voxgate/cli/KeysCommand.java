package dev.voxgate.cli;

import dev.voxgate.server.guard.ApiKeyFile;
import dev.voxgate.server.guard.KeyFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * {@code voxgate keys create|list|revoke}: manages the API key file the server reads from {@code API_KEYS_FILE}.
 * The file holds hashes only; a new key is printed once, as the last line of output, for scripts to capture.
 */
@Command(name = "keys", description = "Manage API keys in the file the server reads (API_KEYS_FILE).",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {
    @Override
    public void run() {
        throw new UserException("say what to do: voxgate keys create NAME | list | revoke ID"
                + " (see voxgate keys --help)");
    }

    /** The file every subcommand works on. */
    static final class FileOption {
        @Option(names = "--file", paramLabel = "FILE",
                description = "The key file (default: $API_KEYS_FILE). Created on the first `create`.")
        Path file;

        Path resolve() {
            if (file != null) return file;
            String env = System.getenv("API_KEYS_FILE");
            if (env == null || env.isBlank()) throw new UserException("no key file: give --file FILE or set"
                    + " API_KEYS_FILE");
            return Path.of(env);
        }
    }

    @Command(name = "create", description = "Make a new key, add its hash to the file and print the key once.")
    static final class Create implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "Who or what the key is for (letters, digits, . _ @ -).")
        String name;
        @Mixin
        FileOption file;

        @Override
        public Integer call() {
            Path path = file.resolve();
            ApiKeyFile.NewKey[] made = new ApiKeyFile.NewKey[1];
            update(path, entries -> {
                Set<String> ids = entries.stream().map(ApiKeyFile.Entry::id).collect(Collectors.toSet());
                made[0] = ApiKeyFile.create(name, ids, new SecureRandom(), Instant.now());
                List<ApiKeyFile.Entry> next = new ArrayList<>(entries);
                next.add(made[0].entry());
                return next;
            });
            PrintStream out = System.out;
            out.println("created key " + made[0].entry().id() + " (" + name + ") in " + path);
            out.println("it is shown only now; the file keeps only its hash. The key:");
            out.println(made[0].key());
            return 0;
        }
    }

    @Command(name = "list", description = "List the keys in the file (id, name, created); never the keys.")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        FileOption file;

        @Override
        public Integer call() {
            PrintStream out = System.out;
            List<ApiKeyFile.Entry> entries = read(file.resolve());
            if (entries.isEmpty()) {
                out.println("no keys in " + file.resolve());
                return 0;
            }
            out.printf("%-8s  %-24s  %s%n", "ID", "NAME", "CREATED");
            for (ApiKeyFile.Entry e : entries) out.printf("%-8s  %-24s  %s%n", e.id(), e.name(), e.created());
            return 0;
        }
    }

    @Command(name = "revoke", description = "Remove a key (by id, or by name when only one key has it); a running"
            + " server stops accepting it at once.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(paramLabel = "ID_OR_NAME")
        String which;
        @Mixin
        FileOption file;

        @Override
        public Integer call() {
            Path path = file.resolve();
            ApiKeyFile.Entry[] gone = new ApiKeyFile.Entry[1];
            update(path, entries -> {
                List<ApiKeyFile.Entry> matching = entries.stream()
                        .filter(e -> e.id().equals(which) || e.name().equals(which)).toList();
                if (matching.isEmpty()) throw new UserException("no key with id or name '" + which + "' in " + path);
                if (matching.size() > 1) throw new UserException(matching.size() + " keys are named '" + which
                        + "'; revoke one by id: " + matching.stream().map(ApiKeyFile.Entry::id)
                        .collect(Collectors.joining(", ")));
                gone[0] = matching.getFirst();
                return entries.stream().filter(e -> e != gone[0]).toList();
            });
            System.out.println("revoked key " + gone[0].id() + " (" + gone[0].name() + ")");
            return 0;
        }
    }

    private static List<ApiKeyFile.Entry> read(Path path) {
        try {
            return ApiKeyFile.read(path);
        } catch (KeyFileException e) {
            throw new UserException(path + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(path + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Read, change, write, under a lock so two `keys` commands at once do not lose a key. */
    private static void update(Path path, UnaryOperator<List<ApiKeyFile.Entry>> change) {
        Path lock = path.resolveSibling(path.getFileName() + ".lock");
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                ApiKeyFile.write(path, change.apply(read(path)));
            }
        } catch (KeyFileException e) {
            throw new UserException(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(path + " cannot be written: " + e.getMessage(), e);
        }
    }
}
