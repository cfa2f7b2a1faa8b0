package dev.voxgate.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The podman command line, run as the tests' user. Settings the host needs (runc instead of crun on hybrid
 * cgroups, ulimits it may set) come from {@code CONTAINERS_CONF}, which scripts/test points at
 * {@code scripts/containers.conf} unless it is already set.
 */
final class Podman {
    private Podman() {
    }

    static boolean installed() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "podman"))) return true;
        }
        return false;
    }

    static Command.Result run(Duration timeout, String... args) {
        List<String> argv = new ArrayList<>(List.of("podman"));
        argv.addAll(List.of(args));
        return new Command(argv, Map.of(), null).run(timeout);
    }

    static String output(Duration timeout, String... args) {
        return run(timeout, args).orFail("podman " + String.join(" ", args)).output().strip();
    }
}
