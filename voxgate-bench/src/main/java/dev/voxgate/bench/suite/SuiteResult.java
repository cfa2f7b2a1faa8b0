package dev.voxgate.bench.suite;

import dev.voxgate.bench.batch.BatchJobs;
import dev.voxgate.bench.load.LoadReport;
import dev.voxgate.bench.load.Percentiles;
import dev.voxgate.bench.raw.RawCeiling;
import dev.voxgate.engine.twopass.TwoPassEngineProvider;
import dev.voxgate.testkit.WordTimeAgreement;

import java.util.List;
import java.util.Map;

/**
 * Everything one suite run measured, per engine, plus the protocol-cost, batch (null when not run)
 * and JMH figures.
 */
public record SuiteResult(String command, String date, Machine machine, List<EngineResult> engines,
        ProtocolCost protocol,
                          BatchResult batch, FilePathResult filePath, List<JmhRow> jmh) {

    /**
     * Scenarios A–D for one engine. WERs are corpus WERs over the dev set: basic ({@code rawWer},
     * {@code serverWer}) and with Whisper's English normaliser ({@code rawNormalizedWer}, {@code serverNormalizedWer}).
     */
    public record EngineResult(String engine, RawCeiling.Result raw1, RawCeiling.Result raw2,
                               double rawWer, double rawNormalizedWer,
                               LoadReport throughput, List<ThroughputRound> throughputRounds,
                               double serverWer, double serverNormalizedWer,
                               List<LoadReport> ramp,
                               int heldSessions, String rampStop, LoadReport latency,
                               Map<String, Double> engineFirstPartialSeconds,
                               Map<Integer, Double> rssBytesBySessions) {

        /**
         * Server over raw (2 threads) throughput, from the walls summed over the interleaved rounds,
         * so a change in the machine's speed during the run weighs on both sides alike.
         */
        public double throughputRatio() {
            if (throughputRounds.isEmpty()) return throughput.throughputXRealtime() / raw2.throughputXRealtime();
            return throughputRounds.stream().mapToDouble(ThroughputRound::rawWallSeconds).sum()
                    / throughputRounds.stream().mapToDouble(ThroughputRound::serverWallSeconds).sum();
        }

        /** Raw engine, 2 threads, × real time over all rounds of scenario A. */
        public double rawXRealtime() {
            return throughputRounds.isEmpty() ? raw2.throughputXRealtime()
                    : throughputRounds.stream().mapToDouble(ThroughputRound::audioSeconds).sum()
                            / throughputRounds.stream().mapToDouble(ThroughputRound::rawWallSeconds).sum();
        }

        /** Server, 2 streams, × real time over all rounds of scenario A. */
        public double serverXRealtime() {
            return throughputRounds.isEmpty() ? throughput.throughputXRealtime()
                    : throughputRounds.stream().mapToDouble(ThroughputRound::audioSeconds).sum()
                            / throughputRounds.stream().mapToDouble(ThroughputRound::serverWallSeconds).sum();
        }

        /** The engine's own audio need before a first partial (raw, ms of audio after onset) over C's clips. */
        public Percentiles engineFirstPartialMs() {
            return Percentiles.of(List.copyOf(engineFirstPartialSeconds.values()), s -> s * 1000);
        }

        /**
         * Concurrent real-time streams the cores could decode at the raw engine's cost: by CPU time,
         * not by one thread's wall time, so an engine that also works on threads of its own (two-pass
         * decodes ahead) is not credited with cores it borrowed.
         */
        public double rawCeilingSessions() {
            return ceilingSessions(raw1);
        }

        /** This machine's cores over the raw engine's CPU seconds per second of audio. */
        static double ceilingSessions(RawCeiling.Result raw1) {
            return Runtime.getRuntime().availableProcessors() / raw1.cpuRealTimeFactor();
        }

        /**
         * Scenario C's target for p95 end_stream→last final at half capacity: 300 ms for the
         * two-pass engine (its final waits for a Whisper decode of the last utterance), 150 ms otherwise.
         */
        public double latencyTargetMs() {
            return TwoPassEngineProvider.ID.equals(engine) ? 300 : 150;
        }

        /** Whether the engine sent any partial in scenarios B and C (Whisper sends none). */
        public boolean hasPartials() {
            return latency.firstPartial().count() > 0 || ramp.stream().anyMatch(r -> r.firstPartial().count() > 0);
        }

        /** RSS growth per added session between 1 and the largest measured count, in MB. */
        public double rssGrowthMbPerSession() {
            int max = rssBytesBySessions.keySet().stream().mapToInt(Integer::intValue).max().orElse(1);
            Double one = rssBytesBySessions.get(1), top = rssBytesBySessions.get(max);
            if (one == null || top == null || max <= 1) return Double.NaN;
            return (top - one) / (max - 1) / 1e6;
        }
    }

    /** One round of scenario A: the raw engine on 2 threads, then the server with 2 streams, over the same clips. */
    public record ThroughputRound(double audioSeconds, double rawWallSeconds, double serverWallSeconds) {
        public double ratio() {
            return rawWallSeconds / serverWallSeconds;
        }
    }

    /** Scenario E: the no-op engine at many real-time sessions. */
    /**
     * @param jitCpuSeconds the part of the server's CPU spent by the JIT compiler's threads during the pass: left
     *                      over from start-up despite the warm-up pass, not a cost per session
     */
    public record ProtocolCost(LoadReport load, double jitCpuSeconds) {
        public ProtocolCost(LoadReport load) {
            this(load, 0);
        }

        /** Server CPU per 100 real-time sessions, as a share of one core. */
        public double coresPer100Sessions() {
            return load.serverCores() * 100.0 / load.concurrency();
        }

        /** The same without the JIT compiler's threads. */
        public double coresPer100SessionsWithoutJit() {
            return (load.serverCpuSeconds() - jitCpuSeconds) / load.wallSeconds() * 100.0 / load.concurrency();
        }
    }

    /**
     * Scenario F: the same files through the job API of servers with 1 and 2 workers, and through
     * the file engine itself on 1 and 2 threads.
     *
     * @param engine the server's default engine for files
     * @param raw1   the raw engine over the same files, 1 thread
     * @param raw2   the same, 2 threads
     */
    public record BatchResult(String engine, int files, double audioSeconds, RawCeiling.Result raw1,
            RawCeiling.Result raw2,
                              double rawWer, double rawNormalizedWer, List<BatchRun> runs) {
        /** The raw run with as many threads as the server had workers (1 or 2). */
        public RawCeiling.Result rawFor(int workers) {
            return workers <= 1 ? raw1 : raw2;
        }

        public double ratio(BatchRun run) {
            return run.report().throughputXRealtime() / rawFor(run.workers()).throughputXRealtime();
        }
    }

    /** One server's batch: {@code WORKER_CONCURRENCY=workers}, and the WERs of its job transcripts. */
    public record BatchRun(int workers, BatchJobs.Report report, double wer, double normalizedWer) {
    }

    /**
     * Scenario G (null when not run): Whisper's file path against one call of the model per clip, under
     * {@code conditions}, and its word times against Vosk's own.
     */
    public record FilePathResult(int clips, List<FileCondition> conditions, WordTimes wordTimes) {
    }

    /** Normalised corpus WER of the file path and of one model call per whole clip, on the same audio. */
    public record FileCondition(String name, double filePathWer, double modelWer) {
        public boolean met() {
            return filePathWer <= modelWer;
        }
    }

    /**
     * Whisper's words timed by Vosk: how many of Whisper's words got times, their |start difference|
     * from Vosk's own times on the words both engines recognise ({@code both}) and, estimated by
     * leaving each matched Vosk word out, on words Vosk did not hear ({@code unheard}); and the
     * process CPU seconds of the dev set through Whisper alone and with word times.
     */
    public record WordTimes(int whisperWords, int timedWords, WordTimeAgreement.Summary both,
                            WordTimeAgreement.Summary unheard, double whisperCpuSeconds, double timedCpuSeconds) {
        public double costRatio() {
            return timedCpuSeconds / whisperCpuSeconds;
        }
    }

    /** One JMH benchmark: score in its unit and allocation per operation. */
    public record JmhRow(String benchmark, double score, double error, String unit, double allocBytesPerOp) {
    }
}
