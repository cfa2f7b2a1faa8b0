package dev.voxgate.cli;

import dev.voxgate.api.EngineException;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.WavReader;
import dev.voxgate.audio.transcribe.OfflineTranscriber;
import dev.voxgate.audio.transcribe.SubtitleFormatter;
import dev.voxgate.audio.transcribe.Transcript;
import dev.voxgate.server.transport.NativeCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code voxgate transcribe FILE}: offline, in-process, no server. */
@Command(name = "transcribe", description = "Transcribe an audio file offline (WAV: any rate, any channel count).")
final class TranscribeCommand implements Callable<Integer> {
    enum Format { txt, json, srt, vtt }

    @Parameters(index = "0", paramLabel = "FILE", description = "The audio file.")
    Path file;
    @Option(names = {"-f", "--format"}, defaultValue = "txt", description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Format format;
    @Option(names = {"-o", "--output"}, description = "Write to this file instead of standard output.")
    Path output;
    @Option(names = "--engine", description = "Engine id (default: ENGINE, else vosk).")
    String engine;
    @Option(names = "--language", description = "Language tag, e.g. en.")
    String language;

    @Override
    public Integer call() throws IOException, EngineException {
        if (!Files.isRegularFile(file)) throw new UserException(file + ": no such file");
        PcmAudio audio;
        try {
            audio = WavReader.read(file);
        } catch (IOException e) {
            throw new UserException(file + ": cannot read audio: " + e.getMessage());
        }
        dev.voxgate.server.logging.LoggingSetup.configure("warn", "text", true);
        Progress progress = new Progress(System.err, System.console() != null);
        try (StreamingEngine e = EngineLoader.load(engine, Map.of())) {
            Transcript t = new OfflineTranscriber(e).transcribe(audio, language, progress::update);
            progress.done();
            String rendered = switch (format) {
                case txt -> SubtitleFormatter.text(t);
                case srt -> SubtitleFormatter.srt(t);
                case vtt -> SubtitleFormatter.vtt(t);
                case json -> NativeCodec.transcript(t) + "\n";
            };
            if (output != null) Files.writeString(output, rendered, StandardCharsets.UTF_8);
            else System.out.print(rendered);
        }
        return 0;
    }

    /** A percentage on one terminal line; silent when standard error is not a terminal. */
    private record Progress(PrintStream err, boolean enabled) {
        void update(double fraction) {
            if (enabled) err.printf(Locale.ROOT, "\rtranscribing %3d%%", (int) (fraction * 100));
        }

        void done() {
            if (enabled) err.print("\r                 \r");
        }
    }
}
