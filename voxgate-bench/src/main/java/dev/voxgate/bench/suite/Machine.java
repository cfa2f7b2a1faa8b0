package dev.voxgate.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a benchmark ran on, as the report states it. */
public record Machine(int cores, double memoryGiB, String cpu, String jdk, String os) {

    public static Machine current() {
        String cpu = "unknown";
        double mem = Double.NaN;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
            mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0) / 1024.0 / 1024.0;
        } catch (IOException | RuntimeException ignored) {
            // Not Linux: leave unknown.
        }
        return new Machine(Runtime.getRuntime().availableProcessors(), mem, cpu,
                System.getProperty("java.vm.vendor") + " " + Runtime.version(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }
}
