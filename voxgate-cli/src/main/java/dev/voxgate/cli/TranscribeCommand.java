package dev.voxgate.cli;

import dev.voxgate.api.EngineException;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.WavReader;
import dev.voxgate.audio.decode.AudioFileDecoder;
import dev.voxgate.audio.decode.AudioProbe;
import dev.voxgate.audio.transcribe.OfflineTranscriber;
import dev.voxgate.audio.transcribe.Transcript;
import dev.voxgate.jobs.ResultFormat;
import dev.voxgate.jobs.TranscriptRenderer;
import dev.voxgate.server.config.ServerConfig;
import dev.voxgate.server.config.Settings;
import dev.voxgate.server.config.UploadConfig;
import dev.voxgate.server.error.ApiException;
import dev.voxgate.server.files.FileLimits;
import dev.voxgate.server.files.FileTranscript;
import dev.voxgate.server.files.FileTranscription;
import dev.voxgate.server.logging.LoggingSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code voxgate transcribe FILE}: offline, in-process, no server. */
@Command(name = "transcribe",
        description = "Transcribe an audio file offline: mp3, m4a, flac, ogg, opus, webm, wav and "
        + "more, recognised by content; any rate, any channel count.")
final class TranscribeCommand implements Callable<Integer> {
    /** The names of {@link ResultFormat}, as the job API takes them. */
    static final class FormatName implements ITypeConverter<ResultFormat> {
        @Override
        public ResultFormat convert(String value) {
            return ResultFormat.parse(value).orElseThrow(() -> new TypeConversionException(
                    "'" + value + "' is not one of txt, json, srt, vtt"));
        }
    }

    @Parameters(index = "0", paramLabel = "FILE", description = "The audio file (its name does not matter).")
    Path file;
    @Option(names = {"-f", "--format"}, defaultValue = "txt", converter = FormatName.class,
            description = "Output format: txt, json, srt or vtt, as a job's transcript files (default "
            + "${DEFAULT-VALUE}).")
    ResultFormat format;
    @Option(names = {"-o", "--output"}, description = "Write to this file instead of standard output.")
    Path output;
    @Option(names = "--engine",
            description = "Engine id (default: FILE_ENGINE, else the most accurate installed engine).")
    String engine;
    @Option(names = "--language", description = "Language tag, e.g. en.")
    String language;

    @Override
    public Integer call() throws IOException, EngineException, InterruptedException {
        if (!Files.isRegularFile(file)) throw new UserException(file + ": no such file");
        // WAV keeps its own reader (exact, no native code needed); everything else, and WAV encodings
        // that reader does not handle (ADPCM, A-law, …), goes to the server's file transcription. Decided by content.
        PcmAudio wav = null;
        if (isRiffWave(file)) {
            try {
                wav = WavReader.read(file);
            } catch (IOException e) {
                wav = null;
            }
        }
        Settings settings = Settings.load(System.getenv(), Map.of());
        UploadConfig uploads = ServerConfig.from(settings).uploads();
        try (FileTranscription files = new FileTranscription(AudioFileDecoder.installed(),
                new FileLimits(Set.of(), uploads.maxAudioMinutes() * 60.0), 1)) {
            AudioProbe probe = null;
            if (wav == null) probe = files.probe(file); // fails fast, before the engine loads
            LoggingSetup.configure("warn", "text", true);
            EngineLoader.Chosen chosen = EngineLoader.load(engine, language, Map.of());
            try (StreamingEngine e = chosen.engine();
                 ProgressDisplay progress = ProgressDisplay.of(wav != null ? OptionalDouble.of(wav.seconds())
                         : probe.durationSeconds())) {
                Transcript t;
                if (wav != null) {
                    t = new OfflineTranscriber(e).transcribe(wav, chosen.language(), progress::update);
                } else {
                    FileTranscript r = files.transcribe(e.descriptor().id(), e, chosen.language(), file,
                            progress::update);
                    progress.close(); // the bar off the terminal before the warning
                    if (r.shorterThanAnnounced()) {
                        System.err.printf(Locale.ROOT,
                                "voxgate: warning: %s: only %.1f s of audio could be decoded of the %.1f s its "
                                + "header announces; the file may be cut short or damaged%n", file, r.decodedSeconds(),
                                r.probe().durationSeconds().orElse(0));
                    }
                    t = r.transcript();
                }
                progress.close();
                String rendered = TranscriptRenderer.render(format, t, e.descriptor().id(), chosen.language());
                if (output != null) Files.writeString(output, rendered, StandardCharsets.UTF_8);
                else System.out.print(rendered);
            }
        } catch (ApiException x) {
            throw new UserException(file, x.error());
        }
        return 0;
    }

    /** Whether the file starts like a WAV ("RIFF" … "WAVE"), whatever its name. */
    private static boolean isRiffWave(Path file) throws IOException {
        byte[] head = new byte[12];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 12) < 12) return false;
        }
        String s = new String(head, StandardCharsets.ISO_8859_1);
        return s.startsWith("RIFF") && s.endsWith("WAVE");
    }
}
