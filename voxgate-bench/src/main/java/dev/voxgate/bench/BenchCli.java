package dev.voxgate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.WavReader;
import dev.voxgate.bench.load.Clip;
import dev.voxgate.bench.load.LoadGenerator;
import dev.voxgate.bench.load.LoadReport;
import dev.voxgate.bench.load.ServerProbe;
import dev.voxgate.bench.raw.RawCeiling;
import dev.voxgate.bench.suite.BenchmarkSuite;
import dev.voxgate.bench.suite.CapacityChart;
import dev.voxgate.bench.suite.MarkdownReport;
import dev.voxgate.bench.suite.SuiteResult;
import dev.voxgate.server.config.ServerConfig;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.logging.LoggingSetup;
import dev.voxgate.testkit.SpeechCorpus;
import dev.voxgate.testkit.Utterance;
import org.openjdk.jmh.Main;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code voxgate-bench}: the load generator, the raw-engine ceiling, the full suite and JMH. */
@Command(name = "voxgate-bench", mixinStandardHelpOptions = true, description = "Voxgate benchmarks.",
        subcommands = {BenchCli.Load.class, BenchCli.Raw.class, BenchCli.Suite.class, BenchCli.Protocol.class,
                BenchCli.Archive.class,
        BenchCli.Jmh.class})
public final class BenchCli implements Runnable {
    /** Jackson writes NaN (a measure with no samples) as the string "NaN" by default. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static void main(String[] args) {
        LoggingSetup.configure("warn", "text", true);
        System.exit(new CommandLine(new BenchCli()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Clips from WAV files, or the speech corpus (VOXGATE_EVAL_DIR, ../shared/eval/speech, pocketsphinx-testdata). */
    static List<Clip> clips(List<Path> files, SpeechCorpus corpus) {
        List<Clip> out = new ArrayList<>();
        try {
            if (files != null && !files.isEmpty()) {
                for (Path f : files) out.add(Clip.of(f.getFileName().toString(), WavReader.read(f), null));
            } else {
                for (Utterance u : corpus.utterances()) {
                    out.add(Clip.of(u.id(), WavReader.read(u.wav()), u.reference()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static SpeechCorpus corpus(Path dir) {
        return dir != null ? SpeechCorpus.fromManifest(dir) : SpeechCorpus.load();
    }

    @Command(name = "load",
            description = "Open N concurrent sessions against a server and report latency and throughput.")
    static final class Load implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "URL", description = "ws://host:port/v1/listen")
        URI url;
        @Parameters(index = "1..*", paramLabel = "FILE", description = "WAV files (default: the speech corpus)")
        List<Path> files;
        @Option(names = "--corpus",
                description =
                        "A folder with manifest.tsv (default: VOXGATE_EVAL_DIR, ../shared/eval/speech, "
                                + "pocketsphinx-testdata).")
        Path corpusDir;
        @Option(names = {"-n", "--sessions"}, defaultValue = "2",
                description = "Concurrent sessions (default ${DEFAULT-VALUE}).")
        int sessions;
        @Option(names = "--repeat", defaultValue = "1", description = "Send the clip list this many times.")
        int repeat;
        @Option(names = "--realtime", description = "Pace audio at wall-clock rate, like a microphone.")
        boolean realtime;
        @Option(names = "--server-pid", description = "Read the server's CPU and RSS from /proc/PID.")
        Long pid;
        @Option(names = "--json", description = "Also write the report as JSON to this file.")
        Path json;

        @Override
        public Integer call() throws Exception {
            List<Clip> base = clips(files, files == null || files.isEmpty() ? corpus(corpusDir) : null);
            List<Clip> all = new ArrayList<>();
            for (int i = 0; i < repeat; i++) all.addAll(base);
            ServerProbe probe = pid != null ? ServerProbe.forPid(pid)
                    : new ServerProbe.MetricsProbe(URI.create(url.toString().replaceFirst("^ws", "http")
                            .replaceFirst("/v1/listen.*|/api/asr.*", "/metrics")));
            LoadReport r = new LoadGenerator()
                    .run("load", all, new LoadGenerator.Options(url, sessions, realtime, 100, Duration.ofMinutes(5)),
                            probe);
            System.out.printf(Locale.ROOT, "sessions %d ok, %d failed; %.1f s of audio in %.1f s = %.1f× real time%n",
                    r.ok(), r.failed(), r.audioSeconds(), r.wallSeconds(), r.throughputXRealtime());
            System.out.println("connect → ready          " + r.ready());
            System.out.println("onset → first partial    " + r.firstPartial());
            System.out.println("end_stream → last final  " + r.finalize_());
            System.out.println("total                    " + r.total());
            System.out.printf(Locale.ROOT, "server CPU %.2f cores, peak memory %.0f MB%n", r.serverCores(),
                    r.serverPeakRssBytes() / 1e6);
            r.errors().forEach(e -> System.out.println("error: " + e));
            if (json != null) {
                JSON.writeValue(json.toFile(), Map.of("report", r, "ready", r.ready(), "firstPartial", r.firstPartial(),
                        "finalize", r.finalize_(), "total", r.total(), "throughputXRealtime", r.throughputXRealtime()));
            }
            return r.failed() == 0 ? 0 : 1;
        }
    }

    @Command(name = "raw",
            description = "Decode the clips in-process with the engine itself (no server): the physical limit.")
    static final class Raw implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", arity = "0..*", description = "WAV files (default: the speech corpus)")
        List<Path> files;
        @Option(names = "--engine", defaultValue = "vosk",
                description = "An installed engine id: vosk, whisper, vosk+whisper (default ${DEFAULT-VALUE}).")
        String engine;
        @Option(names = "--threads", split = ",", defaultValue = "1,2")
        List<Integer> threads;
        @Option(names = "--files",
                description = "Open whole-recording sessions, as jobs and `voxgate transcribe` do (default: live "
                        + "sessions, as /v1/listen).")
        boolean wholeFiles;

        @Override
        public Integer call() throws Exception {
            List<Clip> clips = clips(files, files == null || files.isEmpty() ? SpeechCorpus.load() : null);
            // Every installed engine, loaded as the server loads them, so composed ones (vosk+whisper) work too.
            try (EngineRegistry registry = BenchmarkSuite.loadEngines(System.getenv(), cacheDir())) {
                StreamingEngine e = BenchmarkSuite.engine(registry, engine);
                List<Clip> warmUp = clips.subList(0, Math.min(3, clips.size()));
                if (wholeFiles) RawCeiling.files(e, warmUp, 1);
                else RawCeiling.run(e, warmUp, 1);
                for (int t : threads) {
                    RawCeiling.Result r = wholeFiles ? RawCeiling.files(e, clips, t) : RawCeiling.run(e, clips, t);
                    System.out.printf(Locale.ROOT,
                            "%d thread(s): %.1f s of audio in %.1f s = %.1f× real time; RTF per stream %.3f%n",
                            t, r.audioSeconds(), r.wallSeconds(), r.throughputXRealtime(), r.realTimeFactor());
                }
            }
            return 0;
        }
    }

    @Command(name = "suite",
            description =
                    "Run scenarios A–D for every installed engine (or --engines), E (protocol cost), F (batch "
                            + "jobs) and G (Whisper's file path and word times), and write docs/benchmarks.md with "
                            + "charts.")
    static final class Suite implements Callable<Integer> {
        @Option(names = "--out", defaultValue = "docs",
                description = "Folder for benchmarks.md, .json and .png (default ${DEFAULT-VALUE}).")
        Path out;
        @Option(names = "--quick", description = "Fewer ramp steps and JMH iterations (for a smoke check).")
        boolean quick;
        @Option(names = "--no-jmh", description = "Skip the JMH micro-benchmarks.")
        boolean noJmh;
        @Option(names = "--protocol-sessions", defaultValue = "200",
                description = "Sessions for scenario E (default ${DEFAULT-VALUE}).")
        int protocolSessions;
        @Option(names = "--corpus", description = "A folder with manifest.tsv.")
        Path corpusDir;
        @Option(names = "--engines", split = ",", paramLabel = "ID",
                description =
                        "The engines to measure in scenarios A–D, e.g. vosk,whisper,vosk+whisper (default: every "
                                + "installed engine).")
        List<String> engines = new ArrayList<>();
        @Option(names = "--no-batch", description = "Skip scenario F (batch jobs).")
        boolean noBatch;
        @Option(names = "--no-file-path",
                description = "Skip scenario G (Whisper's file path against the model, and its word times).")
        boolean noFilePath;

        @Override
        public Integer call() throws Exception {
            SpeechCorpus corpus = corpus(corpusDir);
            List<Clip> clips = clips(null, corpus);
            List<String> ids = engines.stream().map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
            String command = "\"$JAVA_HOME\"/bin/java -jar voxgate-bench/target/voxgate-bench.jar suite"
                    + (quick ? " --quick" : "") + (noJmh ? " --no-jmh" : "")
                    + (noBatch ? " --no-batch" : "") + (noFilePath ? " --no-file-path" : "")
                    + (ids.isEmpty() ? "" : " --engines " + String.join(",", ids))
                    + (protocolSessions != 200 ? " --protocol-sessions " + protocolSessions : "");
            SuiteResult result =
                    new BenchmarkSuite(new BenchmarkSuite.Options(clips, corpus.utterances(), cacheDir(), quick, !noJmh,
                    protocolSessions, ids, !noBatch, !noFilePath, System.out::println)).run(command);
            Files.createDirectories(out);
            for (SuiteResult.EngineResult e : result.engines()) {
                CapacityChart.write(out.resolve(MarkdownReport.chartFile(e.engine())), e.engine(), e.ramp().stream()
                        .map(r -> new CapacityChart.Point(r.concurrency(), r.finalize_().p95(), r.firstPartial().p95()))
                        .toList(),
                        BenchmarkSuite.LATENCY_LIMIT_MS, e.rawCeilingSessions());
            }
            Files.writeString(out.resolve("benchmarks.md"), MarkdownReport.render(result));
            JSON.writeValue(out.resolve("benchmarks.json").toFile(), result);
            System.out.println("wrote " + out.resolve("benchmarks.md"));
            return 0;
        }
    }

    @Command(name = "protocol",
            description = "Run scenario E of the suite alone: the protocol path's CPU (no-op engine), by thread.")
    static final class Protocol implements Callable<Integer> {
        @Option(names = "--protocol-sessions", defaultValue = "200",
                description = "Real-time sessions (default ${DEFAULT-VALUE}).")
        int protocolSessions;
        @Option(names = "--corpus", description = "A folder with manifest.tsv.")
        Path corpusDir;
        @Option(names = "--jfr", description = "Record the measured pass with JFR into this file.")
        Path jfr;

        @Override
        public Integer call() throws Exception {
            SpeechCorpus corpus = corpus(corpusDir);
            SuiteResult.ProtocolCost cost = new BenchmarkSuite(new BenchmarkSuite.Options(clips(null, corpus),
                    corpus.utterances(), cacheDir(), false, false, protocolSessions, List.of(), false, false,
                    System.out::println)).protocolCost(jfr);
            return cost.load().failed() == 0 ? 0 : 1;
        }
    }

    @Command(name = "archive",
            description = "Scenario A with and without ARCHIVE_AUDIO, in alternating rounds against two servers: the "
                    + "session archive's cost on streaming throughput, as a ratio.")
    static final class Archive implements Callable<Integer> {
        @Option(names = "--engine", defaultValue = "vosk", description = "Engine (default ${DEFAULT-VALUE}).")
        String engine;
        @Option(names = "--rounds", defaultValue = "3", description = "Rounds of each (default ${DEFAULT-VALUE}).")
        int rounds;
        @Option(names = "--corpus", description = "A folder with manifest.tsv.")
        Path corpusDir;

        @Override
        public Integer call() throws Exception {
            SpeechCorpus corpus = corpus(corpusDir);
            new BenchmarkSuite(new BenchmarkSuite.Options(clips(null, corpus), corpus.utterances(), cacheDir(), false,
                    false, 200, List.of(engine), false, false, System.out::println)).archiveCost(engine, rounds);
            return 0;
        }
    }

    @Command(name = "jmh",
            description = "Run the JMH micro-benchmarks of the audio path (arguments go to JMH, e.g. -prof gc).")
    static final class Jmh implements Callable<Integer> {
        @Parameters(arity = "0..*")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            List<String> a = new ArrayList<>(args);
            if (a.isEmpty()) a.addAll(List.of("-prof", "gc", "-f", "1", "-wi", "3", "-i", "5", "-w", "1s", "-r", "1s"));
            a.add("dev.voxgate.bench.jmh.*");
            Main.main(a.toArray(String[]::new));
            return 0;
        }
    }

    static Path cacheDir() {
        String env = System.getenv("VOXGATE_CACHE_DIR");
        return Path.of(env != null && !env.isBlank() ? env : ServerConfig.defaultCacheDir());
    }
}
