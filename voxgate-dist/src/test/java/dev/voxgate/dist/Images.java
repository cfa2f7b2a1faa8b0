package dev.voxgate.dist;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The images the container tests run, each built at most once per test JVM: Voxgate's from the repository's
 * Dockerfile, and the stand-ins for the official images compose.yml names (src/test/container/stand-ins), all on
 * the locally made base image.
 */
final class Images {
    static final String VOXGATE = "localhost/voxgate:it";
    static final String STAND_INS = "localhost/voxgate-stand-ins:it";
    private static boolean voxgateBuilt;
    private static CompletableFuture<String> standIns;

    private Images() {
    }

    /** Skips (loudly) under -Dvoxgate.container.skip=true; fails when podman or the base image is missing. */
    static void requireContainers(String test) {
        if (Boolean.getBoolean("voxgate.container.skip")) {
            System.err.println("[" + test + "] SKIPPED: -Dvoxgate.container.skip=true; nothing was built or run");
            Assumptions.abort(test + " skipped by -Dvoxgate.container.skip=true");
        }
        if (!Podman.installed()) {
            throw new AssertionError("podman is not installed: scripts/test installs it (apt-get install podman runc), "
                    + "or skip this test with -Dvoxgate.container.skip=true");
        }
        if (Podman.run(Duration.ofMinutes(1), "image", "exists", base()).exitCode() != 0) {
            throw new AssertionError("the base image " + base() + " does not exist: make it with "
                    + "scripts/container-base (scripts/test does), or name another with "
                    + "-Dvoxgate.container.base=IMAGE");
        }
    }

    static synchronized String voxgate() {
        if (!voxgateBuilt) {
            Path root = repository();
            build(VOXGATE, root.resolve("Dockerfile"), root);
            voxgateBuilt = true;
        }
        return VOXGATE;
    }

    static String standIns() {
        return startStandIns().join();
    }

    /**
     * Starts building the stand-ins in the background: their build mostly waits for Debian's mirror while Voxgate's
     * mostly computes, so a test that needs both starts this first.
     */
    static synchronized CompletableFuture<String> startStandIns() {
        if (standIns == null) {
            Path dir = repository().resolve("voxgate-dist/src/test/container/stand-ins");
            standIns = CompletableFuture.supplyAsync(() -> {
                build(STAND_INS, dir.resolve("Dockerfile"), dir);
                return STAND_INS;
            });
        }
        return standIns;
    }

    static Path repository() {
        return Path.of(System.getProperty("voxgate.repo.root"));
    }

    private static String base() {
        return System.getProperty("voxgate.container.base");
    }

    private static void build(String tag, Path dockerfile, Path context) {
        long t0 = System.nanoTime();
        Podman.output(Duration.ofMinutes(15), "build", "--format", "docker", "--build-arg", "BASE_IMAGE=" + base(),
                "-t", tag, "-f", dockerfile.toString(), context.toString());
        System.out.printf("[images] %s built in %.0f s; size %d MB%n", tag, (System.nanoTime() - t0) / 1e9,
                Long.parseLong(Podman.output(Duration.ofMinutes(1), "image", "inspect", "--format", "{{.Size}}", tag))
                        / 1_000_000);
    }
}
