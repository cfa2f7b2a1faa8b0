package dev.voxgate.cli;

import dev.voxgate.api.EngineException;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.WavReader;
import dev.voxgate.audio.decode.AudioDecodeException;
import dev.voxgate.audio.decode.AudioFileDecoder;
import dev.voxgate.audio.decode.AudioProbe;
import dev.voxgate.audio.transcribe.DecodingTranscriber;
import dev.voxgate.audio.transcribe.OfflineTranscriber;
import dev.voxgate.audio.transcribe.SubtitleFormatter;
import dev.voxgate.audio.transcribe.Transcript;
import dev.voxgate.server.transport.NativeCodec;
import picocli.CommandLine.Command;
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
import java.util.concurrent.Callable;

/** {@code voxgate transcribe FILE}: offline, in-process, no server. */
@Command(name = "transcribe", description = "Transcribe an audio file offline: mp3, m4a, flac, ogg, opus, webm, wav and "
        + "more, recognised by content; any rate, any channel count.")
final class TranscribeCommand implements Callable<Integer> {
    enum Format { txt, json, srt, vtt }

    @Parameters(index = "0", paramLabel = "FILE", description = "The audio file (its name does not matter).")
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
        // WAV keeps its own reader (exact, no native code needed); everything else, and WAV encodings
        // that reader does not handle (ADPCM, A-law, …), goes to the installed decoder. Decided by content.
        PcmAudio wav = null;
        AudioProbe probe = null;
        AudioFileDecoder decoder = null;
        if (isRiffWave(file)) {
            try {
                wav = WavReader.read(file);
            } catch (IOException e) {
                decoder = AudioFileDecoder.installed().orElseThrow(() -> new UserException(file + ": cannot read audio: " + e.getMessage()));
            }
        } else {
            decoder = AudioFileDecoder.installed().orElseThrow(() -> new UserException(file + ": cannot read audio: this build "
                    + "reads only WAV (RIFF/WAVE) files; other formats need the FFmpeg decoder (voxgate-audio-ffmpeg)"));
        }
        if (decoder != null) {
            try {
                probe = decoder.probe(file); // fails fast, before the engine loads
            } catch (AudioDecodeException e) {
                throw new UserException(file + ": cannot read audio: " + e.getMessage());
            }
        }
        dev.voxgate.server.logging.LoggingSetup.configure("warn", "text", true);
        try (StreamingEngine e = EngineLoader.load(engine, Map.of());
             ProgressDisplay progress = ProgressDisplay.of(wav != null ? OptionalDouble.of(wav.seconds()) : probe.durationSeconds())) {
            Transcript t;
            if (wav != null) {
                t = new OfflineTranscriber(e).transcribe(wav, language, progress::update);
            } else {
                DecodingTranscriber.Result r;
                try {
                    r = DecodingTranscriber.run(e, decoder, file, language, progress::update);
                } catch (AudioDecodeException x) {
                    throw new UserException(file + ": cannot read audio: " + x.getMessage());
                }
                progress.close(); // the bar off the terminal before the warning
                if (r.shorterThanAnnounced()) {
                    System.err.printf(Locale.ROOT, "voxgate: warning: %s: only %.1f s of audio could be decoded of the %.1f s its "
                            + "header announces; the file may be cut short or damaged%n", file, r.decodedSeconds(),
                            r.probe().durationSeconds().orElse(0));
                }
                t = r.transcript();
            }
            progress.close();
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
