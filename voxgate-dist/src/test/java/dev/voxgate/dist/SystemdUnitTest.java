package dev.voxgate.dist;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/systemd: the unit checked by {@code systemd-analyze verify} (Debian's systemd; no systemd runs here, so the
 * unit is loaded, parsed and its ExecStart checked in a root folder made here, never started), and the policies that
 * tie it to Voxgate read from the files themselves.
 */
class SystemdUnitTest {
    private static final Path DIR = Path.of(System.getProperty("voxgate.repo.root", "..")).resolve("deploy/systemd");
    private static final Path ANALYZE = Path.of("/usr/bin/systemd-analyze");
    @TempDir
    static Path tmp;
    private static Map<String, List<String>> service;
    private static Map<String, String> env;

    @BeforeAll
    static void read() throws IOException {
        service = section(Files.readString(DIR.resolve("voxgate.service")), "Service");
        env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DIR.resolve("voxgate.env"))) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            env.put(line.substring(0, eq), line.substring(eq + 1));
        }
    }

    /** The keys of one section, each with its values in order (a key may be given several times). */
    static Map<String, List<String>> section(String unit, String name) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String current = null;
        for (String raw : unit.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            if (line.startsWith("[")) {
                current = line.substring(1, line.length() - 1);
                continue;
            }
            if (!name.equals(current)) continue;
            int eq = line.indexOf('=');
            keys.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
        }
        return keys;
    }

    private static String one(String key) {
        assertThat(service).as("voxgate.service sets %s", key).containsKey(key);
        assertThat(service.get(key)).as(key).hasSize(1);
        return service.get(key).getFirst();
    }

    /** A systemd time span as the unit writes them here: "30s", "5min", "300" (seconds). */
    static Duration span(String value) {
        Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|min|)").matcher(value.strip());
        assertThat(m.matches()).as("a time span: %s", value).isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "min" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
    }

    @Test
    void notifiesWithAWatchdogAndRestartsOnFailure() {
        assertThat(one("Type")).isEqualTo("notify");
        assertThat(one("NotifyAccess")).as("bin/voxgate execs the JVM: the main process notifies").isEqualTo("main");
        assertThat(span(one("WatchdogSec"))).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(one("Restart")).isEqualTo("on-failure");
        assertThat(one("ExecStart")).isEqualTo("/opt/voxgate/bin/voxgate serve");
        assertThat(one("EnvironmentFile")).isEqualTo("/etc/voxgate/voxgate.env");
    }

    @Test
    void stopsWithSigtermAndWaitsLongerThanTheDrain() {
        assertThat(one("KillSignal")).isEqualTo("SIGTERM");
        Duration grace = Duration.ofMillis(Long.parseLong(env.get("SHUTDOWN_GRACE_MS")));
        assertThat(span(one("TimeoutStopSec"))).as("TimeoutStopSec vs SHUTDOWN_GRACE_MS in voxgate.env")
                .isGreaterThan(grace.plusSeconds(5));
        assertThat(one("SuccessExitStatus")).as("the JVM exits 143 on SIGTERM: a clean stop").contains("143");
    }

    @Test
    void runsAsItsOwnUserWithOnlyItsFoldersWritable() throws IOException {
        assertThat(one("User")).isEqualTo("voxgate");
        assertThat(Files.readString(DIR.resolve("voxgate.sysusers"))).containsPattern("(?m)^u voxgate ");
        for (var hardening : Map.of("NoNewPrivileges", "yes", "ProtectSystem", "strict", "ProtectHome", "yes",
                "PrivateTmp", "yes", "PrivateDevices", "yes", "RestrictSUIDSGID", "yes", "ProtectKernelTunables", "yes",
                "ProtectControlGroups", "yes", "CapabilityBoundingSet", "").entrySet()) {
            assertThat(one(hardening.getKey())).as(hardening.getKey()).isEqualTo(hardening.getValue());
        }
        assertThat(service).as("the JIT writes code it runs").doesNotContainKey("MemoryDenyWriteExecute");
        List<String> writable = List.of(one("ReadWritePaths").split("\\s+"));
        assertThat(writable).as("ReadWritePaths holds DATA_DIR and VOXGATE_CACHE_DIR of voxgate.env")
                .contains(env.get("DATA_DIR"), env.get("VOXGATE_CACHE_DIR"));
        assertThat(env.get("DATA_DIR")).isEqualTo("/var/lib/" + one("StateDirectory"));
        assertThat(env.get("VOXGATE_CACHE_DIR")).isEqualTo("/var/cache/" + one("CacheDirectory"));
    }

    @Test
    void everySettingInTheEnvironmentFileIsInTheReadmesTable() throws IOException {
        String readme = Files.readString(DIR.resolve("../../README.md"));
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^#?([A-Z][A-Z0-9_]+)=").matcher(Files.readString(DIR.resolve("voxgate.env")));
        while (m.find()) names.add(m.group(1));
        assertThat(names).contains("SHUTDOWN_GRACE_MS", "DATA_DIR", "VOXGATE_CACHE_DIR", "TRUSTED_PROXIES");
        for (String name : names) assertThat(readme).as("README row for %s", name).contains("| `" + name + "` |");
    }

    /**
     * {@code systemd-analyze verify --root}: the shipped unit at /etc/systemd/system in a root folder that has a stub
     * /opt/voxgate/bin/voxgate, the environment file and the host's own units (sysinit.target and the rest the unit's
     * default dependencies name). It must load with no warning at all; a broken copy shows it would say.
     */
    @Test
    void systemdAnalyzeVerifiesTheUnit() throws IOException {
        assertThat(ANALYZE).as("Debian's systemd package (scripts/test installs it)").isExecutable();
        Path root = tmp.resolve("root");
        Path stub = Files.createDirectories(root.resolve("opt/voxgate/bin")).resolve("voxgate");
        Files.writeString(stub, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(root.resolve("etc/voxgate"));
        Files.copy(DIR.resolve("voxgate.env"), root.resolve("etc/voxgate/voxgate.env"));
        Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.copy(DIR.resolve("voxgate.service"), units.resolve("voxgate.service"));
        Files.createDirectories(root.resolve("usr/lib/systemd"));
        Command.of("cp", "-r", "/usr/lib/systemd/system", root.resolve("usr/lib/systemd").toString())
                .run(Duration.ofMinutes(1)).orFail("copy the host's units");

        Command.Result ok = verify(root, "voxgate.service");
        System.out.println("[systemd] systemd-analyze verify voxgate.service: exit " + ok.exitCode()
                + (ok.all().isBlank() ? ", nothing to say" : ":\n" + ok.all()));
        assertThat(ok.exitCode()).as(ok.all()).isZero();
        assertThat(ok.all().strip()).as("no warning").isEmpty();

        Files.writeString(units.resolve("broken.service"), Files.readString(DIR.resolve("voxgate.service"))
                .replace("ProtectSystem=strict", "ProtectSystem=strictly").replace("WatchdogSec=", "WatchdogSecs="));
        Command.Result broken = verify(root, "broken.service");
        assertThat(broken.all()).contains("WatchdogSecs").contains("strictly");
        Files.delete(stub);
        assertThat(verify(root, "voxgate.service").all()).as("ExecStart is checked").contains("not executable");
    }

    private static Command.Result verify(Path root, String unit) {
        return Command.of(ANALYZE.toString(), "verify", "--root=" + root, "--man=no", "--generators=no",
                "/etc/systemd/system/" + unit).run(Duration.ofMinutes(1));
    }
}
