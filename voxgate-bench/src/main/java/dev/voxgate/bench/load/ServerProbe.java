package dev.voxgate.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the server's CPU time and resident memory: from {@code /proc/PID} when the pid is known, else from {@code
 * /metrics}.
 */
public interface ServerProbe {
    /** CPU seconds used by the server so far (user + system), or NaN. */
    double cpuSeconds();

    /** Resident set size in bytes, or NaN. */
    double rssBytes();

    static ServerProbe forPid(long pid) {
        return new ProcProbe(pid);
    }

    static ServerProbe none() {
        return new ServerProbe() {
            @Override public double cpuSeconds() { return Double.NaN; }
            @Override public double rssBytes() { return Double.NaN; }
        };
    }

    /** Linux {@code /proc}: utime + stime from {@code stat}, VmRSS from {@code status}. */
    record ProcProbe(long pid) implements ServerProbe {
        private static final double CLOCK_TICKS = 100.0; // USER_HZ on Linux

        @Override
        public double cpuSeconds() {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS;
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }

        @Override
        public double rssBytes() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024.0;
                }
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
            return Double.NaN;
        }
    }

    /** Without a pid: the JVM's own figures from Prometheus (CPU seconds and memory used, not RSS). */
    record MetricsProbe(URI metrics) implements ServerProbe {
        private static final HttpClient HTTP = HttpClient.newHttpClient();

        private double sum(String prefix) {
            try {
                String body = HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                        .body();
                return body.lines().filter(l -> l.startsWith(prefix))
                        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Double.NaN;
            }
        }

        @Override public double cpuSeconds() { return sum("process_cpu_time_ns_total") / 1e9; }
        @Override public double rssBytes() { return sum("jvm_memory_used_bytes"); }
    }
}
