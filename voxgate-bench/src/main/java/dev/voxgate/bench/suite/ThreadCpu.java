package dev.voxgate.bench.suite;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A server's CPU by thread, from {@code /proc/PID/task}: user and system time, grouped by the thread's name without
 * its number ({@code voxgate-decoder-2} → {@code voxgate-decoder-}). A coarse profile that, unlike a JFR sample,
 * also counts the time in the kernel (socket reads and writes, wake-ups), and shows JIT and GC threads apart.
 * Linux only; elsewhere the snapshot is empty.
 */
public final class ThreadCpu {
    private static final double CLOCK_TICKS = 100.0; // USER_HZ on Linux

    /** CPU seconds of one group of threads. */
    public record Group(String name, double userSeconds, double systemSeconds) {
        public double seconds() {
            return userSeconds + systemSeconds;
        }
    }

    private final Map<Long, String> names;
    private final Map<Long, long[]> ticks;

    private ThreadCpu(Map<Long, String> names, Map<Long, long[]> ticks) {
        this.names = names;
        this.ticks = ticks;
    }

    public static ThreadCpu snapshot(long pid) {
        Map<Long, String> names = new HashMap<>();
        Map<Long, long[]> ticks = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('('), close = stat.lastIndexOf(')');
                    String[] f = stat.substring(close + 2).split(" ");
                    long tid = Long.parseLong(task.getFileName().toString());
                    names.put(tid, stat.substring(open + 1, close));
                    ticks.put(tid, new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])});
                } catch (IOException | RuntimeException e) {
                    // The thread ended while we looked.
                }
            }
        } catch (IOException | RuntimeException e) {
            // No /proc: an empty snapshot.
        }
        return new ThreadCpu(names, ticks);
    }

    /** The CPU each group of threads used since {@code before}, largest first (threads that ended are lost). */
    public List<Group> since(ThreadCpu before) {
        Map<String, double[]> groups = new HashMap<>();
        ticks.forEach((tid, t) -> {
            long[] b = before.ticks.getOrDefault(tid, new long[2]);
            double[] g = groups.computeIfAbsent(group(names.get(tid)), k -> new double[2]);
            g[0] += (t[0] - b[0]) / CLOCK_TICKS;
            g[1] += (t[1] - b[1]) / CLOCK_TICKS;
        });
        List<Group> out = new ArrayList<>();
        groups.forEach((name, g) -> out.add(new Group(name, g[0], g[1])));
        out.sort((a, b) -> Double.compare(b.seconds(), a.seconds()));
        return out;
    }

    /** {@code voxgate-decoder-2} → {@code voxgate-decoder-}, {@code C2 CompilerThre} stays. */
    static String group(String threadName) {
        return threadName.replaceAll("\\d+$", "");
    }

    /** One line per group with at least 1% of the total: share of a core per 100 sessions, user/system. */
    public static List<String> describe(List<Group> groups, double wallSeconds, int sessions) {
        double total = groups.stream().mapToDouble(Group::seconds).sum();
        List<String> lines = new ArrayList<>();
        for (Group g : groups) {
            if (g.seconds() < 0.01 * total) continue;
            lines.add(String.format(Locale.ROOT,
                    "  %-20s %5.2f%% of a core per 100 sessions (user %.2f%%, system %.2f%%)", g.name(),
                    per100(g.seconds(), wallSeconds, sessions), per100(g.userSeconds(), wallSeconds, sessions),
                    per100(g.systemSeconds(), wallSeconds, sessions)));
        }
        return lines;
    }

    private static double per100(double seconds, double wallSeconds, int sessions) {
        return seconds / wallSeconds * 100.0 / sessions * 100.0;
    }
}
