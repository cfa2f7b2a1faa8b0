package dev.voxgate.bench.suite;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.SpeechEngineProvider;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.bench.BenchServer;
import dev.voxgate.bench.load.Clip;
import dev.voxgate.bench.load.LoadGenerator;
import dev.voxgate.bench.load.LoadReport;
import dev.voxgate.bench.load.SessionResult;
import dev.voxgate.bench.raw.RawCeiling;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Scenarios A–E of docs/benchmarks.md, for every installed engine, against a server in its own
 * process on this machine, compared with the raw engine measured in the same run.
 */
public final class BenchmarkSuite {
    public static final double LATENCY_LIMIT_MS = 500;
    private static final int[] FIRST_STEPS = {1, 2, 4, 8, 12, 16};
    private static final int MAX_RAMP = 96;

    public record Options(List<Clip> clips, List<Utterance> references, Path cacheDir, boolean quick, boolean jmh,
                          int protocolSessions, Consumer<String> progress) {
    }

    private final Options options;
    private final LoadGenerator load = new LoadGenerator();

    public BenchmarkSuite(Options options) {
        this.options = options;
    }

    public SuiteResult run(String command) throws Exception {
        List<SuiteResult.EngineResult> engines = new ArrayList<>();
        for (SpeechEngineProvider p : ServiceLoader.load(SpeechEngineProvider.class)) {
            engines.add(engine(p));
        }
        SuiteResult.ProtocolCost protocol = protocolCost();
        List<SuiteResult.JmhRow> jmh = options.jmh() ? JmhRunner.run(options.quick()) : List.of();
        return new SuiteResult(command, java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).toString(), Machine.current(),
                engines, protocol, jmh);
    }

    private SuiteResult.EngineResult engine(SpeechEngineProvider provider) throws Exception {
        String id = provider.id();
        List<Clip> clips = options.clips();
        say("[%s] raw engine, 1 and 2 threads over %d clips (%.0f s of audio)", id, clips.size(), clips.stream().mapToDouble(Clip::seconds).sum());
        RawCeiling.Result raw1, raw2;
        try (StreamingEngine engine = (StreamingEngine) provider.create(new EngineContext(Map.of(), options.cacheDir()))) {
            RawCeiling.run(engine, clips.subList(0, Math.min(3, clips.size())), 1); // JIT and model warm-up
            raw1 = RawCeiling.run(engine, clips, 1);
            raw2 = RawCeiling.run(engine, clips, 2);
        }
        say("[%s] raw: RTF %.3f, %.1f× real time on 1 thread, %.1f× on 2", id, raw1.realTimeFactor(), raw1.throughputXRealtime(), raw2.throughputXRealtime());

        try (ServerProcess server = ServerProcess.start(Map.of("ENGINE", id))) {
            load.run("warm-up", clips.subList(0, Math.min(12, clips.size())), opts(server, 2, false), server.probe()); // JIT-compile the server first

            say("[%s] A: 2 streams as fast as possible", id);
            LoadReport a = load.run("A", clips, opts(server, 2, false), server.probe());
            say("[%s] A: %.1f× real time (raw 2 threads %.1f×), %d failed", id, a.throughputXRealtime(), raw2.throughputXRealtime(), a.failed());

            List<LoadReport> ramp = new ArrayList<>();
            int held = 0;
            String stop = "reached the ramp's end (" + MAX_RAMP + " sessions)";
            for (int n : steps()) {
                LoadReport r = load.run("B" + n, cycle(longClips(clips), n), opts(server, n, true), server.probe());
                ramp.add(r);
                double p95 = r.finalize_().p95();
                say("[%s] B: %d sessions: end_stream→close %s, first partial %s, %d failed, CPU %.2f cores", id, n, r.finalize_(),
                        r.firstPartial(), r.failed(), r.serverCores());
                if (r.failed() > 0) {
                    stop = n + " sessions: " + r.failed() + " failed (" + String.join("; ", r.errors()) + ")";
                    break;
                }
                if (p95 > LATENCY_LIMIT_MS) {
                    stop = String.format(java.util.Locale.ROOT, "%d sessions: p95 end_stream→close %.0f ms > %.0f ms", n, p95, LATENCY_LIMIT_MS);
                    break;
                }
                held = n;
            }

            int half = Math.max(1, held / 2);
            say("[%s] C: latency at %d sessions (half of %d)", id, half, held);
            LoadReport c = load.run("C", cycle(longClips(clips), half * (options.quick() ? 1 : 3)), opts(server, half, true), server.probe());

            Map<Integer, Double> rss = memory(id, clips, held);
            return new SuiteResult.EngineResult(id, raw1, raw2, wer(raw2.hypotheses()), a, wer(texts(a)), ramp, held, stop, c, rss);
        }
    }

    /**
     * Scenario D in a fresh server whose Java heap is fixed, so that the heap growing under
     * garbage from earlier scenarios does not pass for memory that sessions hold: peak RSS after
     * warm-up with no session, then while 1, 10 and {@code held} sessions stream.
     */
    private Map<Integer, Double> memory(String id, List<Clip> clips, int held) throws Exception {
        Map<Integer, Double> rss = new LinkedHashMap<>();
        try (ServerProcess server = ServerProcess.start(Map.of("ENGINE", id), List.of("-Xms256m", "-Xmx256m"))) {
            load.run("warm-up", cycle(longClips(clips), 2), opts(server, 2, true), server.probe());
            rss.put(0, server.probe().rssBytes());
            for (int n : new int[] {1, 10, Math.max(held, 1)}) {
                if (rss.containsKey(n)) continue;
                LoadReport d = load.run("D" + n, cycle(longClips(clips), n), opts(server, n, true), server.probe());
                rss.put(n, d.serverPeakRssBytes());
                say("[%s] D: %d sessions: peak RSS %.0f MB", id, n, d.serverPeakRssBytes() / 1e6);
            }
        }
        return rss;
    }

    private SuiteResult.ProtocolCost protocolCost() throws Exception {
        int n = options.protocolSessions();
        say("[noop] E: %d real-time sessions through the protocol path alone", n);
        try (ServerProcess server = ServerProcess.start(Map.of("ENGINE", BenchServer.NOOP))) {
            // Warm up on the same shape of load, so the JIT has compiled the per-frame path before measuring.
            load.run("warm-up", cycle(longClips(options.clips()), n), opts(server, n, true), server.probe());
            LoadReport e = load.run("E", cycle(longClips(options.clips()), n), opts(server, n, true), server.probe());
            SuiteResult.ProtocolCost cost = new SuiteResult.ProtocolCost(e);
            say("[noop] E: server CPU %.3f cores, %.1f%% of a core per 100 sessions; end_stream→close %s; %d failed",
                    e.serverCores(), cost.coresPer100Sessions() * 100, e.finalize_(), e.failed());
            return cost;
        }
    }

    private int[] steps() {
        List<Integer> s = new ArrayList<>();
        for (int n : FIRST_STEPS) s.add(n);
        for (int n = 20; n <= MAX_RAMP; n += options.quick() ? 8 : 4) s.add(n);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Real-time streams arrive spread over the first second; file streams start at once. */
    private static LoadGenerator.Options opts(ServerProcess server, int concurrency, boolean realtime) {
        return new LoadGenerator.Options(server.listenUrl(), concurrency, realtime, 100, Duration.ofMinutes(2), realtime ? 1000 : 0);
    }

    /** {@code n} clips taken in turn from the list (sessions of a step each get one). */
    static List<Clip> cycle(List<Clip> clips, int n) {
        List<Clip> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(clips.get(i % clips.size()));
        return out;
    }

    /**
     * Clips of at least 8 s: each session is a continuous stream, so a step measures steady load
     * rather than short sessions starting and ending, and memory is sampled while all are open.
     */
    private static List<Clip> longClips(List<Clip> clips) {
        List<Clip> longOnes = clips.stream().filter(c -> c.seconds() >= 8).toList();
        return longOnes.isEmpty() ? clips : longOnes;
    }

    private static Map<String, String> texts(LoadReport r) {
        Map<String, String> m = new LinkedHashMap<>();
        for (SessionResult s : r.sessions()) m.put(s.clip(), s.text());
        return m;
    }

    private double wer(Map<String, String> hyps) {
        List<Utterance> refs = options.references().stream().filter(u -> hyps.containsKey(u.id())).toList();
        return refs.isEmpty() ? Double.NaN : WordErrorRate.corpus(refs, hyps);
    }

    private void say(String format, Object... args) {
        options.progress().accept(String.format(java.util.Locale.ROOT, format, args));
    }
}
