package dev.voxgate.bench;

import dev.voxgate.api.StreamingEngine;
import dev.voxgate.bench.batch.BatchJobs;
import dev.voxgate.bench.load.Clip;
import dev.voxgate.bench.load.LoadGenerator;
import dev.voxgate.bench.load.LoadReport;
import dev.voxgate.bench.load.ServerProbe;
import dev.voxgate.bench.load.SessionResult;
import dev.voxgate.bench.raw.RawCeiling;
import dev.voxgate.bench.suite.BenchmarkSuite;
import dev.voxgate.bench.suite.CapacityChart;
import dev.voxgate.bench.suite.FilePathScenario;
import dev.voxgate.bench.suite.JmhRunner;
import dev.voxgate.bench.suite.Machine;
import dev.voxgate.bench.suite.MarkdownReport;
import dev.voxgate.bench.suite.SuiteResult;
import dev.voxgate.engine.whisper.WhisperEngine;
import dev.voxgate.server.Speech;
import dev.voxgate.server.TestEngines;
import dev.voxgate.server.TestServer;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;
import dev.voxgate.testkit.WordTimeAgreement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A few seconds of every benchmark part, in the default test run so the benchmark cannot rot: the
 * full suite is run by hand (docs/benchmarks.md says how), since it is long and these machines are noisy.
 * Nothing here asserts a speed.
 */
@Timeout(300)
class BenchSmokeIT {
    /** Every installed engine (vosk, whisper, vosk+whisper), loaded once as the suite loads them. */
    private static EngineRegistry installed;

    private static synchronized EngineRegistry installed() throws InterruptedException {
        if (installed == null) installed = BenchmarkSuite.loadEngines(Map.of(), TestEngines.cacheDir());
        return installed;
    }

    @AfterAll
    static void closeEngines() {
        if (installed != null) installed.close();
    }

    private static List<Clip> shortClips(int n) {
        return Speech.corpus().utterances().stream().sorted(Comparator.comparingDouble(Utterance::seconds)).limit(n)
                .map(u -> Clip.of(u.id(), Speech.audio(u), u.reference())).toList();
    }

    @Test
    void loadGeneratorMeasuresTwoSessionsAgainstARealServer() {
        List<Clip> clips = shortClips(2);
        try (TestServer server = TestServer.start(Map.of(), TestEngines.vosk())) {
            LoadReport fast = new LoadGenerator().run("smoke", clips,
                    new LoadGenerator.Options(server.ws("/v1/listen"), 2, false, 100, Duration.ofSeconds(60)),
                    ServerProbe.none());
            assertThat(fast.ok()).as("errors %s", fast.errors()).isEqualTo(2);
            assertThat(fast.throughputXRealtime()).isPositive();
            assertThat(fast.finalize_().count()).isEqualTo(2);
            assertThat(fast.ready().count()).isEqualTo(2);
            for (SessionResult s : fast.sessions()) {
                Utterance u = Speech.corpus().utterances().stream().filter(x -> x.id().equals(s.clip())).findFirst()
                        .orElseThrow();
                assertThat(WordErrorRate.corpus(List.of(u), Map.of(u.id(), s.text()))).as(s.text()).isLessThan(0.5);
            }

            Clip one = clips.get(0);
            LoadReport paced = new LoadGenerator().run("smoke-realtime", List.of(one),
                    new LoadGenerator.Options(server.ws("/v1/listen"), 1, true, 100, Duration.ofSeconds(60)),
                    ServerProbe.forPid(ProcessHandle.current().pid()));
            SessionResult s = paced.sessions().get(0);
            assertThat(s.ok()).as(s.error()).isTrue();
            assertThat(s.totalMs()).as("paced at wall-clock rate").isGreaterThanOrEqualTo(one.seconds() * 1000 - 150);
            assertThat(s.firstPartialMs()).isPositive();
            assertThat(paced.serverCpuSeconds()).isPositive();
            assertThat(paced.serverPeakRssBytes()).isGreaterThan(10e6);
        }
    }

    @Test
    void loadGeneratorReportsRefusedSessionsAsFailures() {
        try (TestServer server = TestServer.start(Map.of("MAX_SESSIONS", "1"), TestEngines.vosk())) {
            List<Clip> clips = shortClips(2);
            LoadReport r = new LoadGenerator().run("over", List.of(clips.get(0), clips.get(1), clips.get(0)),
                    new LoadGenerator.Options(server.ws("/v1/listen"), 3, true, 100, Duration.ofSeconds(60)),
                    ServerProbe.none());
            assertThat(r.failed()).isGreaterThanOrEqualTo(1);
            assertThat(r.errors()).anySatisfy(e -> assertThat(e).contains("over_capacity"));
        }
    }

    @Test
    void rawCeilingDecodesInProcess() {
        List<Clip> clips = shortClips(2);
        RawCeiling.Result r = RawCeiling.run(TestEngines.vosk(), clips, 2);
        assertThat(r.hypotheses()).hasSize(2);
        assertThat(r.realTimeFactor()).isBetween(0.0, 5.0);
        assertThat(r.throughputXRealtime()).isPositive();
        // Vosk offers a partial on real speech; when it did, within the clip's speech, in whole 100 ms chunks.
        assertThat(r.firstPartialSeconds()).hasSize(2);
        for (Clip c : clips) {
            assertThat(r.firstPartialSeconds().get(c.id())).isBetween(0.0, c.seconds() - c.onsetSeconds());
        }
        // The early-stopping pass times the same partial (Vosk is deterministic).
        assertThat(RawCeiling.firstPartialSeconds(TestEngines.vosk(), clips)).isEqualTo(r.firstPartialSeconds());
    }

    @Test
    void reportAndChartAreWritten(@TempDir Path dir) throws Exception {
        List<Clip> clips = shortClips(2);
        RawCeiling.Result raw = RawCeiling.run(TestEngines.vosk(), clips, 1);
        try (TestServer server = TestServer.start(Map.of(), TestEngines.vosk())) {
            LoadReport a = new LoadGenerator().run("A", clips,
                    new LoadGenerator.Options(server.ws("/v1/listen"), 2, false, 100, Duration.ofSeconds(60)),
                    ServerProbe.none());
            // An engine without partials, as Whisper: its first-partial figures are empty.
            LoadReport noPartials = new LoadReport("C", 1, true, a.sessions().stream()
                    .map(x ->
                            new SessionResult(x.clip(), x.ok(), x.error(), x.closeCode(), x.audioSeconds(), x.readyMs(),
                                    Double.NaN, x.finalizeMs(), x.totalMs(), x.text()))
                    .toList(), a.wallSeconds(), a.serverCpuSeconds(), a.serverPeakRssBytes());
            Map<Integer, Double> rss = Map.of(0, 1e8, 1, 1.1e8, 2, 1.2e8);
            List<SuiteResult.ThroughputRound> rounds =
                    List.of(new SuiteResult.ThroughputRound(10, 2, 2.5), new SuiteResult.ThroughputRound(10, 3, 2.5));
            BatchJobs.Report jobs =
                    new BatchJobs.Report(2, 20, 4, 7, Map.of("job-1", "text", "job-2", "text"), List.of());
            SuiteResult result = new SuiteResult("java -jar voxgate-bench.jar suite", "now", Machine.current(),
                    List.of(new SuiteResult.EngineResult("vosk", raw, raw, 0.1, 0.08, a, rounds, 0.1, 0.08, List.of(a),
                            2, "test", a, Map.of("c1", 0.4, "c2", 0.6), rss),
                            new SuiteResult.EngineResult("whisper", raw, raw, 0.09, 0.04, noPartials, List.of(), 0.09,
                                    0.04, List.of(noPartials), 2, "test", noPartials, Map.of(), rss),
                            new SuiteResult.EngineResult("vosk+whisper", raw, raw, 0.09, 0.05, a, rounds, 0.09, 0.05,
                                    List.of(a), 1, "test", a, Map.of("c1", 0.5), rss)),
                    new SuiteResult.ProtocolCost(a),
                    new SuiteResult.BatchResult("whisper", 2, 20, raw, raw, 0.1, 0.05,
                            List.of(new SuiteResult.BatchRun(1, jobs, 0.1, 0.05),
                                    new SuiteResult.BatchRun(2, jobs, 0.1, 0.05))),
                    new SuiteResult.FilePathResult(2, List.of(new SuiteResult.FileCondition("as they are", 0.03, 0.03),
                            new SuiteResult.FileCondition("given at 48 kHz", 0.05, 0.04)),
                            new SuiteResult.WordTimes(20, 19, WordTimeAgreement.Summary.of(List.of(0.0, 0.0, 0.2)),
                                    WordTimeAgreement.Summary.of(List.of(0.1, 0.4)), 10, 30)),
                    List.of(new SuiteResult.JmhRow("x", 1, 0.1, "us/op", 64)));
            String md = MarkdownReport.render(result);
            assertThat(md)
                    .contains("## Targets", "## Engines side by side", "### B. Capacity",
                            "## E. Cost of the protocol path alone",
                    "java -jar voxgate-bench.jar suite", "![capacity](" + MarkdownReport.chartFile("vosk") + ")",
                    "C (vosk+whisper): p95 end_stream→last final ≤ 300 ms at half capacity",
                    "C (vosk): p95 end_stream→last final ≤ 150 ms",
                    "### Choosing the default streaming engine",
                    "whisper: 4.00% normalised WER, 2 sessions held — no partials",
                    "## F. Batch jobs", "`WORKER_CONCURRENCY=2`",
                    "## G. Whisper's file path and word times",
                    "G: Whisper file path ≤ one call of the model per clip, clips as they are | 3.00% vs 3.00% "
                            + "normalised WER | met",
                    "clips given at 48 kHz | 5.00% vs 4.00% normalised WER | **not met**", "(**×3.00**",
                    // A's ratio is over the summed walls of the interleaved rounds: (2 + 3) / (2.5 + 2.5).
                    "A (vosk): server throughput ≥ 0.95 × raw, 2 streams | 1.00 × (4.0× vs 4.0× real time; "
                            + "rounds 0.80, 1.20)",
                    "the engine alone: audio after onset before its first partial (raw) | 400 ms | 600 ms");
            assertThat(md).containsPattern("\\| (met|\\*\\*not met\\*\\*) \\|");
            assertThat(md)
                    .containsPattern("\\| whisper \\| 4\\.00% \\| 9\\.00% \\| 4\\.00% \\| 9\\.00% \\|.*\\| — \\|\\n");
            assertThat(MarkdownReport.chartFile("vosk+whisper")).isEqualTo("benchmarks-capacity-vosk-whisper.png");
            Path png = dir.resolve("chart.png");
            CapacityChart.write(png, "vosk",
                    List.of(new CapacityChart.Point(1, 40, 300), new CapacityChart.Point(2, 60, 320)), 500, 11.8);
            byte[] head = Files.readAllBytes(png);
            assertThat(head.length).isGreaterThan(1000);
            assertThat(new String(head, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
    }

    /** Scenario G on two short clips: both paths decode, Whisper's words get Vosk's times, and the cost shows. */
    @Test
    void filePathScenarioHoldsTheFilePathToTheModel() throws Exception {
        EngineRegistry engines = installed();
        WhisperEngine whisper = (WhisperEngine) BenchmarkSuite.engine(engines, "whisper");
        List<Clip> clips = shortClips(2);
        SuiteResult.FilePathResult g =
                new FilePathScenario(whisper, BenchmarkSuite.engine(engines, "vosk"), Speech.corpus().utterances())
                        .run(clips);
        assertThat(g.clips()).isEqualTo(2);
        assertThat(g.conditions()).hasSize(3).allSatisfy(c -> {
            assertThat(c.filePathWer()).isBetween(0.0, 0.5);
            assertThat(c.modelWer()).isBetween(0.0, 0.5);
        });
        assertThat(g.wordTimes().whisperWords()).isPositive();
        assertThat(g.wordTimes().timedWords()).isGreaterThanOrEqualTo((int) (0.9 * g.wordTimes().whisperWords()));
        assertThat(g.wordTimes().both().count()).isPositive();
        assertThat(g.wordTimes().costRatio()).isGreaterThan(1.0); // the Vosk pass is not free
    }

    /** The two-pass engine composed from the shared vosk and whisper, raw (no server), on one short clip. */
    @Test
    void composedEngineDecodesRaw() throws Exception {
        StreamingEngine twoPass = BenchmarkSuite.engine(installed(), "vosk+whisper");
        Clip clip = shortClips(1).get(0);
        RawCeiling.Result r = RawCeiling.run(twoPass, List.of(clip), 1);
        String text = r.hypotheses().get(clip.id());
        Utterance u = Speech.corpus().utterances().stream().filter(x -> x.id().equals(clip.id())).findFirst()
                .orElseThrow();
        assertThat(WordErrorRate.normalizedCorpus(List.of(u), Map.of(u.id(), text))).as(text).isLessThan(0.5);
    }

    /** Scenario F's client against a real server with one worker and the Whisper file engine, on one tiny job. */
    @Test
    void batchJobsAreSubmittedPolledAndScored(@TempDir Path dir) throws Exception {
        StreamingEngine whisper = BenchmarkSuite.engine(installed(), "whisper");
        List<BatchJobs.JobFile> files = BatchJobs.concatenate(shortClips(2), 0.1, dir, "job");
        assertThat(files).hasSize(2);
        List<BatchJobs.JobFile> one = files.subList(0, 1);
        // EngineRegistry.of leaves the engine open when the server closes: it belongs to the shared registry.
        try (TestServer server = TestServer.start(Map.of("WORKER_CONCURRENCY", "1", "DATA_DIR",
                dir.resolve("data").toString()),
                EngineRegistry.of("whisper", List.of(whisper)))) {
            BatchJobs.Report r = BatchJobs.run(server.http("/"), one, Duration.ofSeconds(60), ServerProbe.none());
            assertThat(r.errors()).isEmpty();
            assertThat(r.succeeded()).isEqualTo(1);
            assertThat(r.throughputXRealtime()).isPositive();
            String id = one.get(0).clip().id();
            assertThat(r.transcripts()).containsKey(id);
            var refs =
                    List.of(new Utterance(id, one.get(0).wav(), one.get(0).clip().seconds(),
                            one.get(0).clip().reference()));
            assertThat(WordErrorRate.normalizedCorpus(refs, r.transcripts())).as(r.transcripts().get(id))
                    .isLessThan(0.5);
        }
    }

    @Test
    void jmhRunsTheAudioPathWithAllocationFigures() throws Exception {
        List<SuiteResult.JmhRow> rows = JmhRunner.run("AudioPathBenchmark.pcmBytesToSamples", 0, 1);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).score()).isPositive();
        assertThat(rows.get(0).allocBytesPerOp()).as("a 3200-byte frame becomes a 1600-sample array")
                .isGreaterThan(3000);
    }
}
