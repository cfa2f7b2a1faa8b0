package dev.voxgate.bench.suite;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.SpeechEngineProvider;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.bench.BenchServer;
import dev.voxgate.bench.batch.BatchJobs;
import dev.voxgate.bench.load.Clip;
import dev.voxgate.bench.load.LoadGenerator;
import dev.voxgate.bench.load.LoadReport;
import dev.voxgate.bench.load.SessionResult;
import dev.voxgate.bench.raw.RawCeiling;
import dev.voxgate.engine.whisper.WhisperEngine;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.engine.EngineStatus;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Scenarios A–F of docs/benchmarks.md, for every installed engine (or those asked for), against a
 * server in its own process on this machine, compared with the raw engine measured in the same run.
 */
public final class BenchmarkSuite {
    public static final double LATENCY_LIMIT_MS = 500;
    private static final int[] FIRST_STEPS = {1, 2, 4, 8, 12, 16};
    private static final int MAX_RAMP = 96;
    private static final int MIN_LATENCY_SAMPLES = 20;
    /**
     * Scenario E's warm-up passes: after one, the JIT's threads still took 3–5 points of the figure (the per-session
     * paths run only once per session); see docs/protocol-cost.md.
     */
    private static final int PROTOCOL_WARM_UP_PASSES = 2;
    /** Scenario F: seconds of audio per job file (the corpus clips joined), and in all with --quick. */
    private static final double BATCH_FILE_SECONDS = 30, QUICK_BATCH_FILE_SECONDS = 15, QUICK_BATCH_AUDIO_SECONDS = 60;

    /**
     * @param engines the engine ids to measure, in order; empty for every installed engine
     * @param batch    whether to run scenario F
     * @param filePath whether to run scenario G
     */
    public record Options(List<Clip> clips, List<Utterance> references, Path cacheDir, boolean quick, boolean jmh,
                          int protocolSessions, List<String> engines, boolean batch, boolean filePath,
                          Consumer<String> progress) {
        public Options {
            engines = List.copyOf(engines);
        }
    }

    private final Options options;
    private final LoadGenerator load = new LoadGenerator();
    private List<String> installed = List.of();

    public BenchmarkSuite(Options options) {
        this.options = options;
    }

    /** The engine providers on the class path, in ServiceLoader order. */
    public static List<SpeechEngineProvider> installedProviders() {
        return ServiceLoader.load(SpeechEngineProvider.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    /**
     * Every installed engine loaded the way the server loads them (so composed engines such as
     * {@code vosk+whisper} get the shared {@code vosk} and {@code whisper}); waits until all have
     * finished loading. The caller closes the registry, which closes the engines.
     */
    public static EngineRegistry loadEngines(Map<String, String> settings, Path cacheDir) throws InterruptedException {
        List<SpeechEngineProvider> providers = installedProviders();
        if (providers.isEmpty()) throw new IllegalStateException(
                "no speech engine is installed (no SpeechEngineProvider on the class path)");
        EngineRegistry registry =
                EngineRegistry.loading(providers.get(0).id(), providers, new EngineContext(settings, cacheDir));
        if (!registry.awaitLoaded(10, TimeUnit.MINUTES)) {
            registry.close();
            throw new IllegalStateException("the engines did not load within 10 minutes");
        }
        return registry;
    }

    /** The loaded streaming engine {@code id}, or an exception saying why it is not there. */
    public static StreamingEngine engine(EngineRegistry registry, String id) {
        return registry.streaming(id).orElseThrow(() -> new IllegalArgumentException(registry.status(id)
                .map(s -> s instanceof EngineStatus.Failed f ? "engine " + id + " failed to load: " + f.detail()
                        : "engine " + id + " is not ready")
                .orElse("no engine " + id + "; installed: "
                        + String.join(", ", registry.all().stream().map(EngineStatus::id).toList()))));
    }

    public SuiteResult run(String command) throws Exception {
        installed = installedProviders().stream().map(SpeechEngineProvider::id).toList();
        List<String> ids = options.engines().isEmpty() ? installed : options.engines();
        for (String id : ids) {
            if (!installed.contains(id)) throw new IllegalArgumentException("no engine " + id + "; installed: "
                    + String.join(", ", installed));
        }
        say("loading the engines in-process: %s", String.join(", ", installed));
        List<SuiteResult.EngineResult> engines = new ArrayList<>();
        SuiteResult.BatchResult batch = null;
        SuiteResult.FilePathResult filePath = null;
        SuiteResult.ProtocolCost protocol;
        try (EngineRegistry registry = loadEngines(Map.of(), options.cacheDir())) {
            for (String id : ids) engines.add(engine(id, engine(registry, id)));
            protocol = protocolCost();
            if (options.batch()) batch = batch(registry);
            if (options.filePath()) filePath = filePath(registry);
        }
        List<SuiteResult.JmhRow> jmh = options.jmh() ? JmhRunner.run(options.quick()) : List.of();
        return new SuiteResult(command, ZonedDateTime.now(ZoneOffset.UTC).toString(), Machine.current(),
                engines, protocol, batch, filePath, jmh);
    }

    /** Scenario G, when Whisper and Vosk are both installed (else null, and said). */
    private SuiteResult.FilePathResult filePath(EngineRegistry registry) throws EngineException {
        if (!(registry.streaming("whisper").orElse(null) instanceof WhisperEngine whisper)
                || registry.streaming("vosk").isEmpty()) {
            say("[whisper] G: skipped, it needs the whisper and vosk engines");
            return null;
        }
        say("[whisper] G: file path against one call of the model per clip; word times against Vosk's");
        SuiteResult.FilePathResult g =
                new FilePathScenario(whisper, registry.streaming("vosk").get(), options.references()).run(
                        options.clips());
        for (SuiteResult.FileCondition c : g.conditions()) {
            say("[whisper] G: %s: file path %.2f%%, model %.2f%%", c.name(), 100 * c.filePathWer(),
                    100 * c.modelWer());
        }
        say("[whisper] G: word times: median %.3f s, %.1f%% within 0.3 s, CPU ×%.2f", g.wordTimes().both().median(),
                100 * g.wordTimes().both().within300ms(), g.wordTimes().costRatio());
        return g;
    }

    private SuiteResult.EngineResult engine(String id, StreamingEngine engine) throws Exception {
        List<Clip> clips = options.clips();
        say("[%s] raw engine, 1 and 2 threads over %d clips (%.0f s of audio)", id, clips.size(),
                clips.stream().mapToDouble(Clip::seconds).sum());
        RawCeiling.run(engine, clips.subList(0, Math.min(3, clips.size())), 1); // JIT and model warm-up
        RawCeiling.Result raw1 = RawCeiling.run(engine, clips, 1);
        RawCeiling.Result raw2 = RawCeiling.run(engine, clips, 2);
        Map<String, Double> engineFirstPartial = RawCeiling.firstPartialSeconds(engine, longClips(clips));
        say("[%s] raw: RTF %.3f, %.1f× real time on 1 thread, %.1f× on 2; WER %.2f%% normalised, %.2f%% basic", id,
                raw1.realTimeFactor(),
                raw1.throughputXRealtime(), raw2.throughputXRealtime(), 100 * normalizedWer(raw2.hypotheses()),
                100 * wer(raw2.hypotheses()));

        try (ServerProcess server = ServerProcess.start(serverEnv(id))) {
            // JIT-compile the server first
            load.run("warm-up", clips.subList(0, Math.min(12, clips.size())), opts(server, 2, false), server.probe());

            // Raw and server rounds alternate, so the machine's speed drifting during the run (shared
            // hosts) weighs on both; the ratio is taken over the summed walls.
            List<SuiteResult.ThroughputRound> rounds = new ArrayList<>();
            LoadReport a = null;
            for (int round = 1; round <= throughputRounds(); round++) {
                RawCeiling.Result raw = round == 1 ? raw2 : RawCeiling.run(engine, clips, 2);
                say("[%s] A%d: 2 streams as fast as possible", id, round);
                LoadReport served = load.run("A", clips, opts(server, 2, false), server.probe());
                if (a == null) a = served;
                rounds.add(new SuiteResult.ThroughputRound(raw.audioSeconds(), raw.wallSeconds(),
                        served.wallSeconds()));
                say("[%s] A%d: %.1f× real time (raw 2 threads %.1f×), %d failed", id, round,
                        served.throughputXRealtime(), raw.throughputXRealtime(), served.failed());
            }

            List<LoadReport> ramp = new ArrayList<>();
            int held = 0;
            String stop = "reached the ramp's end (" + MAX_RAMP + " sessions)";
            for (int n : steps(SuiteResult.EngineResult.ceilingSessions(raw1))) {
                LoadReport r = load.run("B" + n, cycle(longClips(clips), n), opts(server, n, true), server.probe());
                ramp.add(r);
                double p95 = r.finalize_().p95();
                say("[%s] B: %d sessions: end_stream→close %s, first partial %s, %d failed, CPU %.2f cores", id, n,
                        r.finalize_(),
                        r.firstPartial(), r.failed(), r.serverCores());
                if (r.failed() > 0) {
                    stop = n + " sessions: " + r.failed() + " failed (" + String.join("; ", r.errors()) + ")";
                    break;
                }
                if (p95 > LATENCY_LIMIT_MS) {
                    stop = String.format(Locale.ROOT, "%d sessions: p95 end_stream→close %.0f ms > %.0f ms", n, p95,
                            LATENCY_LIMIT_MS);
                    break;
                }
                held = n;
            }

            int half = Math.max(1, held / 2);
            say("[%s] C: latency at %d sessions (half of %d)", id, half, held);
            LoadReport c =
                    load.run("C", cycle(longClips(clips), latencySessions(half)), opts(server, half, true),
                            server.probe());

            Map<Integer, Double> rss = memory(id, clips, held);
            Map<String, String> serverTexts = texts(a);
            return new SuiteResult.EngineResult(id, raw1, raw2, wer(raw2.hypotheses()),
                    normalizedWer(raw2.hypotheses()),
                    a, rounds, wer(serverTexts), normalizedWer(serverTexts), ramp, held, stop, c, engineFirstPartial,
                    rss);
        }
    }

    /**
     * The server's environment for scenarios of engine {@code id}: it is the default engine, and
     * only it and the engines it is composed of are loaded (see {@link #serverEngines}).
     */
    private Map<String, String> serverEnv(String id) {
        return Map.of("ENGINE", id, BenchServer.ENGINES_SETTING, String.join(",", serverEngines(id)));
    }

    /**
     * {@code id}, and for an id made of installed ids joined by '+' (the two-pass {@code vosk+whisper})
     * those too: a composed engine loads no model of its own but needs its parts in the same process.
     */
    Set<String> serverEngines(String id) {
        Set<String> out = new LinkedHashSet<>();
        if (id.contains("+")) {
            for (String part : id.split("\\+")) if (installed.contains(part)) out.add(part);
        }
        out.add(id);
        return out;
    }

    /**
     * Scenario D in a fresh server whose Java heap is fixed, so that the heap growing under
     * garbage from earlier scenarios does not pass for memory that sessions hold: peak RSS after
     * warm-up with no session, then while 1, 10 and {@code held} sessions stream.
     */
    private Map<Integer, Double> memory(String id, List<Clip> clips, int held) throws Exception {
        Map<Integer, Double> rss = new LinkedHashMap<>();
        try (ServerProcess server = ServerProcess.start(serverEnv(id), List.of("-Xms256m", "-Xmx256m"))) {
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

    /**
     * The cost of {@code ARCHIVE_AUDIO} on streaming throughput: scenario A (2 streams as fast as possible over the
     * clips) against two servers of engine {@code id} running side by side, one archiving every session into a
     * temporary {@code DATA_DIR} and one not, in alternating rounds so the machine's drift weighs on both; the ratio
     * is taken over the summed walls.
     *
     * @return throughput with archiving ÷ throughput without (1.0: archiving costs nothing)
     */
    public double archiveCost(String id, int rounds) throws Exception {
        installed = installedProviders().stream().map(SpeechEngineProvider::id).toList();
        List<Clip> clips = options.clips();
        Path data = Files.createTempDirectory("voxgate-bench-archive");
        Map<String, String> plainEnv = new HashMap<>(serverEnv(id));
        plainEnv.put("DATA_DIR", data.resolve("plain").toString());
        Map<String, String> archiveEnv = new HashMap<>(serverEnv(id));
        archiveEnv.put("DATA_DIR", data.resolve("archive").toString());
        archiveEnv.put("ARCHIVE_AUDIO", "true");
        try (ServerProcess plain = ServerProcess.start(plainEnv);
             ServerProcess archiving = ServerProcess.start(archiveEnv)) {
            for (ServerProcess s : List.of(plain, archiving)) {
                load.run("warm-up", clips.subList(0, Math.min(12, clips.size())), opts(s, 2, false), s.probe());
            }
            double plainWall = 0;
            double archiveWall = 0;
            for (int round = 1; round <= rounds; round++) {
                LoadReport p = load.run("A", clips, opts(plain, 2, false), plain.probe());
                LoadReport a = load.run("A+archive", clips, opts(archiving, 2, false), archiving.probe());
                plainWall += p.wallSeconds();
                archiveWall += a.wallSeconds();
                say("[%s] A%d: %.1f× real time without archiving, %.1f× with ARCHIVE_AUDIO=true; %d and %d failed", id,
                        round, p.throughputXRealtime(), a.throughputXRealtime(), p.failed(), a.failed());
            }
            double ratio = plainWall / archiveWall;
            say("[%s] A: throughput with ARCHIVE_AUDIO=true is %.3f of that without (%d rounds, summed walls %.1f s"
                    + " and %.1f s)", id, ratio, rounds, archiveWall, plainWall);
            return ratio;
        } finally {
            try (var files = Files.walk(data)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private SuiteResult.ProtocolCost protocolCost() throws Exception {
        return protocolCost(null);
    }

    /**
     * Scenario E: the no-op engine behind {@code n} real-time sessions, measured after a warm-up pass of the same
     * shape. Also prints the server's CPU by thread over the measured pass, and records it with JFR into
     * {@code jfr} when that is not null (for {@code jfr print --events jdk.ExecutionSample}).
     */
    public SuiteResult.ProtocolCost protocolCost(Path jfr) throws Exception {
        int n = options.protocolSessions();
        say("[noop] E: %d real-time sessions through the protocol path alone", n);
        try (ServerProcess server = ServerProcess.start(Map.of("ENGINE", BenchServer.NOOP))) {
            // Warm up on the same shape of load, so the JIT has compiled the per-frame path before measuring.
            for (int i = 0; i < PROTOCOL_WARM_UP_PASSES; i++) {
                load.run("warm-up", cycle(longClips(options.clips()), n), opts(server, n, true), server.probe());
            }
            if (jfr != null) jcmd(server.pid(), "JFR.start", "name=e", "settings=profile");
            say("[noop] E: measuring server pid %d", server.pid()); // for an outside profiler (perf -p)
            ThreadCpu before = ThreadCpu.snapshot(server.pid());
            LoadReport e = load.run("E", cycle(longClips(options.clips()), n), opts(server, n, true), server.probe());
            List<ThreadCpu.Group> threads = ThreadCpu.snapshot(server.pid()).since(before);
            if (jfr != null) jcmd(server.pid(), "JFR.stop", "name=e", "filename=" + jfr.toAbsolutePath());
            double jit = threads.stream().filter(g -> g.name().startsWith("C1 Compiler")
                    || g.name().startsWith("C2 Compiler")).mapToDouble(ThreadCpu.Group::seconds).sum();
            SuiteResult.ProtocolCost cost = new SuiteResult.ProtocolCost(e, jit);
            say("[noop] E: server CPU %.3f cores, %.1f%% of a core per 100 sessions (%.1f%% without the JIT's threads);"
                    + " end_stream→close %s; %d failed", e.serverCores(), cost.coresPer100Sessions() * 100,
                    cost.coresPer100SessionsWithoutJit() * 100, e.finalize_(), e.failed());
            say("[noop] E: by thread:");
            ThreadCpu.describe(threads, e.wallSeconds(), n).forEach(line -> say("%s", line));
            return cost;
        }
    }

    private static void jcmd(long pid, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        cmd.addAll(List.of(args));
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                .waitFor();
    }

    /**
     * Scenario F: the corpus joined into files of about {@value #BATCH_FILE_SECONDS} s, decoded by
     * the default file engine in-process on 1 and 2 threads, then submitted at once as jobs to a
     * fresh server with {@code WORKER_CONCURRENCY=1}, then to one with 2.
     */
    private SuiteResult.BatchResult batch(EngineRegistry registry) throws Exception {
        String id = registry.defaultFileEngine();
        StreamingEngine engine = engine(registry, id);
        Path dir = Files.createTempDirectory("voxgate-bench-jobs");
        try {
            List<Clip> source = options.quick() ? firstSeconds(options.clips(), QUICK_BATCH_AUDIO_SECONDS)
                    : options.clips();
            List<BatchJobs.JobFile> files =
                    BatchJobs.concatenate(source, options.quick() ? QUICK_BATCH_FILE_SECONDS : BATCH_FILE_SECONDS, dir,
                            "job");
            BatchJobs.JobFile warmUp = BatchJobs.concatenate(List.of(shortest(options.clips())), 0, dir, "warm-up")
                    .get(0);
            List<Clip> clips = files.stream().map(BatchJobs.JobFile::clip).toList();
            List<Utterance> refs = references(files);
            double audio = clips.stream().mapToDouble(Clip::seconds).sum();
            say("[%s] F: %d files (%.0f s of audio): raw engine on 1 and 2 threads", id, files.size(), audio);
            RawCeiling.files(engine, options.clips().subList(0, Math.min(3, options.clips().size())), 1);
            RawCeiling.Result raw1 = RawCeiling.files(engine, clips, 1);
            RawCeiling.Result raw2 = RawCeiling.files(engine, clips, 2);
            say("[%s] F: raw %.1f× real time on 1 thread, %.1f× on 2", id, raw1.throughputXRealtime(),
                    raw2.throughputXRealtime());
            List<SuiteResult.BatchRun> runs = new ArrayList<>();
            for (int workers : new int[] {1, 2}) {
                Path data = Files.createTempDirectory("voxgate-bench-data");
                Map<String, String> env = new LinkedHashMap<>(serverEnv(id));
                env.put("FILE_ENGINE", id);
                env.put("WORKER_CONCURRENCY", Integer.toString(workers));
                env.put("DATA_DIR", data.toString());
                try (ServerProcess server = ServerProcess.start(env)) {
                    BatchJobs.Report w =
                            BatchJobs.run(server.httpBase(), List.of(warmUp), Duration.ofMinutes(5), server.probe());
                    if (w.failed() > 0) say("[%s] F: warm-up job failed: %s", id, w.errors());
                    BatchJobs.Report r =
                            BatchJobs.run(server.httpBase(), files, Duration.ofMinutes(30), server.probe());
                    SuiteResult.BatchRun run =
                            new SuiteResult.BatchRun(workers, r, wer(refs, r.transcripts()),
                                    normalizedWer(refs, r.transcripts()));
                    runs.add(run);
                    say("[%s] F: WORKER_CONCURRENCY=%d: %d ok, %d failed in %.1f s = %.1f× real time (raw %d "
                            + "thread(s) %.1f×); WER %.2f%% normalised%s",
                            id, workers, r.succeeded(), r.failed(), r.wallSeconds(), r.throughputXRealtime(), workers,
                            (workers == 1 ? raw1 : raw2).throughputXRealtime(), 100 * run.normalizedWer(),
                            r.errors().isEmpty() ? "" : "; " + r.errors());
                } finally {
                    deleteTree(data);
                }
            }
            return new SuiteResult.BatchResult(id, files.size(), audio, raw1, raw2, wer(refs, raw2.hypotheses()),
                    normalizedWer(refs, raw2.hypotheses()), runs);
        } finally {
            deleteTree(dir);
        }
    }

    /** The job files as utterances (their joined references), for the WER; files without a reference are left out. */
    static List<Utterance> references(List<BatchJobs.JobFile> files) {
        return files.stream().filter(f -> f.clip().reference() != null)
                .map(f -> new Utterance(f.clip().id(), f.wav(), f.clip().seconds(), f.clip().reference())).toList();
    }

    private static List<Clip> firstSeconds(List<Clip> clips, double seconds) {
        List<Clip> out = new ArrayList<>();
        double sum = 0;
        for (Clip c : clips) {
            if (sum >= seconds) break;
            out.add(c);
            sum += c.seconds();
        }
        return out;
    }

    private static Clip shortest(List<Clip> clips) {
        return clips.stream().min(Comparator.comparingDouble(Clip::seconds)).orElseThrow();
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary folder left behind.
        }
    }

    /**
     * The ramp's session counts, plus the count scenario B's target asks for (0.9 × the raw
     * ceiling, rounded up) so the target is tried directly rather than judged between two coarse steps.
     */
    int[] steps(double rawCeiling) {
        TreeSet<Integer> s = new TreeSet<>();
        for (int n : FIRST_STEPS) s.add(n);
        for (int n = 20; n <= MAX_RAMP; n += options.quick() ? 8 : 4) s.add(n);
        int target = (int) Math.ceil(0.9 * rawCeiling - 1e-9);
        if (target >= 1 && target <= MAX_RAMP) s.add(target);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Real-time streams arrive spread over the first second; file streams start at once. */
    private static LoadGenerator.Options opts(ServerProcess server, int concurrency, boolean realtime) {
        return new LoadGenerator.Options(server.listenUrl(), concurrency, realtime, 100, Duration.ofMinutes(2), realtime
                ? 1000 : 0);
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
    /**
     * Scenario C's sessions in all at {@code concurrency}: three waves, and at least
     * {@value #MIN_LATENCY_SAMPLES} so that its p95 is not simply the slowest of a handful.
     */
    private int latencySessions(int concurrency) {
        return options.quick() ? concurrency : Math.max(3 * concurrency, MIN_LATENCY_SAMPLES);
    }

    /** Scenario A's interleaved raw/server rounds: 3, or 1 with --quick. */
    private int throughputRounds() {
        return options.quick() ? 1 : 3;
    }

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
        return wer(options.references(), hyps);
    }

    private double normalizedWer(Map<String, String> hyps) {
        return normalizedWer(options.references(), hyps);
    }

    /** Basic corpus WER over the references that have a hypothesis; NaN when none has. */
    static double wer(List<Utterance> references, Map<String, String> hyps) {
        List<Utterance> refs = references.stream().filter(u -> hyps.containsKey(u.id())).toList();
        return refs.isEmpty() ? Double.NaN : WordErrorRate.corpus(refs, hyps);
    }

    /** The same with Whisper's English normaliser on both sides. */
    static double normalizedWer(List<Utterance> references, Map<String, String> hyps) {
        List<Utterance> refs = references.stream().filter(u -> hyps.containsKey(u.id())).toList();
        return refs.isEmpty() ? Double.NaN : WordErrorRate.normalizedCorpus(refs, hyps);
    }

    private void say(String format, Object... args) {
        options.progress().accept(String.format(Locale.ROOT, format, args));
    }
}
