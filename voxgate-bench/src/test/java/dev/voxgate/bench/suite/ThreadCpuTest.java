package dev.voxgate.bench.suite;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadCpuTest {
    @Test
    void threadsAreGroupedByTheirNameWithoutItsNumber() {
        assertThat(ThreadCpu.group("voxgate-decoder-12")).isEqualTo("voxgate-decoder-");
        assertThat(ThreadCpu.group("ForkJoinPool-1-")).isEqualTo("ForkJoinPool-1-"); // /proc cuts names at 15
        assertThat(ThreadCpu.group("C2 CompilerThre")).isEqualTo("C2 CompilerThre");
    }

    /** The CPU of this JVM's own busy thread shows up under its name. */
    @Test
    void busyThreadIsCounted() throws Exception {
        long pid = ProcessHandle.current().pid();
        ThreadCpu before = ThreadCpu.snapshot(pid);
        CountDownLatch burnt = new CountDownLatch(1), release = new CountDownLatch(1);
        Thread busy = Thread.ofPlatform().name("cpu-burner-7").start(() -> {
            long end = System.nanoTime() + 300_000_000L;
            double x = 0;
            while (System.nanoTime() < end) x += Math.sqrt(x + 1);
            if (x < 0) System.out.println(x);
            burnt.countDown();
            try {
                release.await(); // alive while measured: the CPU of threads that ended is not in /proc
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        burnt.await();
        List<ThreadCpu.Group> groups = ThreadCpu.snapshot(pid).since(before);
        release.countDown();
        busy.join();
        assertThat(groups).anySatisfy(g -> {
            assertThat(g.name()).isEqualTo("cpu-burner-");
            assertThat(g.seconds()).isGreaterThan(0.1);
        });
        assertThat(ThreadCpu.describe(groups, 1.0, 100)).anySatisfy(line -> assertThat(line).contains("cpu-burner-"));
    }
}
