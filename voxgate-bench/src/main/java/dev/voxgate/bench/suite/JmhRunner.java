package dev.voxgate.bench.suite;

import dev.voxgate.bench.jmh.AudioPathBenchmark;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Runs the audio-path micro-benchmarks with the GC profiler (allocation per operation). */
public final class JmhRunner {
    private JmhRunner() {
    }

    public static List<SuiteResult.JmhRow> run(boolean quick) throws Exception {
        return run(AudioPathBenchmark.class.getName() + ".*", quick ? 1 : 3, quick ? 2 : 5);
    }

    /** Runs the benchmarks matching {@code include} in one fork, one-second iterations. */
    public static List<SuiteResult.JmhRow> run(String include, int warmups, int iterations) throws Exception {
        Options opts = new OptionsBuilder()
                .include(include)
                .addProfiler(GCProfiler.class)
                .forks(1)
                .warmupIterations(warmups).warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("-Xmx512m")
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        List<SuiteResult.JmhRow> rows = new ArrayList<>();
        for (RunResult r : results) {
            Result<?> primary = r.getPrimaryResult();
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            String name = r.getParams().getBenchmark();
            rows.add(new SuiteResult.JmhRow(name.substring(name.lastIndexOf('.') + 1), primary.getScore(),
                    primary.getScoreError(),
                    primary.getScoreUnit(), alloc == null ? Double.NaN : alloc.getScore()));
        }
        return rows;
    }
}
