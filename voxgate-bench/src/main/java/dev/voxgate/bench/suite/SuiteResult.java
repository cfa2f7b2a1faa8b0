package dev.voxgate.bench.suite;

import dev.voxgate.bench.load.LoadReport;
import dev.voxgate.bench.raw.RawCeiling;

import java.util.List;
import java.util.Map;

/** Everything one suite run measured, per engine, plus the protocol-cost and JMH figures. */
public record SuiteResult(String command, String date, Machine machine, List<EngineResult> engines, ProtocolCost protocol,
                          List<JmhRow> jmh) {

    /** Scenarios A–D for one engine. */
    public record EngineResult(String engine, RawCeiling.Result raw1, RawCeiling.Result raw2, double rawWer,
                               LoadReport throughput, double serverWer, List<LoadReport> ramp, int heldSessions,
                               String rampStop, LoadReport latency, Map<Integer, Double> rssBytesBySessions) {

        public double throughputRatio() {
            return throughput.throughputXRealtime() / raw2.throughputXRealtime();
        }

        /** Concurrent real-time streams the cores could decode at the raw engine's speed. */
        public double rawCeilingSessions() {
            return machineCores() / raw1.realTimeFactor();
        }

        private static int machineCores() {
            return Runtime.getRuntime().availableProcessors();
        }

        /** RSS growth per added session between 1 and the largest measured count, in MB. */
        public double rssGrowthMbPerSession() {
            int max = rssBytesBySessions.keySet().stream().mapToInt(Integer::intValue).max().orElse(1);
            Double one = rssBytesBySessions.get(1), top = rssBytesBySessions.get(max);
            if (one == null || top == null || max <= 1) return Double.NaN;
            return (top - one) / (max - 1) / 1e6;
        }
    }

    /** Scenario E: the no-op engine at many real-time sessions. */
    public record ProtocolCost(LoadReport load) {
        /** Server CPU per 100 real-time sessions, as a share of one core. */
        public double coresPer100Sessions() {
            return load.serverCores() * 100.0 / load.concurrency();
        }
    }

    /** One JMH benchmark: score in its unit and allocation per operation. */
    public record JmhRow(String benchmark, double score, double error, String unit, double allocBytesPerOp) {
    }
}
