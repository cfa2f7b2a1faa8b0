package dev.voxgate.cli;

import dev.voxgate.api.EngineContext;
import dev.voxgate.audio.WavWriter;
import dev.voxgate.audio.decode.AudioDecodeException;
import dev.voxgate.audio.decode.AudioFileDecoder;
import dev.voxgate.server.config.ServerConfig;
import dev.voxgate.server.config.Settings;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.engine.EngineStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code voxgate prepare}: unpacks the bundled models and FFmpeg's native libraries into the
 * cache folder ({@code VOXGATE_CACHE_DIR}) and loads each engine once, then exits. A container
 * image runs it at build time, so a container is ready in seconds instead of spending its first
 * start unpacking a few hundred megabytes; on a host it checks an installation end to end.
 */
@Command(name = "prepare",
        description = "Unpack the bundled models and native libraries into the cache folder (VOXGATE_CACHE_DIR), load "
        + "every engine once and exit; exit 1 if any failed.")
final class PrepareCommand implements Callable<Integer> {
    @Option(names = "--minutes", description = "How long loading may take (default ${DEFAULT-VALUE}).",
            defaultValue = "20")
    long minutes;

    @Override
    public Integer call() throws Exception {
        Settings settings = Settings.load(System.getenv(), Map.of());
        ServerConfig config = ServerConfig.from(settings);
        System.out.println("cache folder: " + config.cacheDir().toAbsolutePath());
        boolean ok = true;
        try (EngineRegistry engines = EngineRegistry.discover(config.defaultEngine(),
                new EngineContext(settings.asMap(), config.cacheDir()))) {
            if (!engines.awaitLoaded(minutes, TimeUnit.MINUTES)) throw new UserException("engines still loading after "
                    + minutes + " min");
            for (EngineStatus status : engines.all()) {
                String line = switch (status) {
                    case EngineStatus.Ready r -> "ready";
                    case EngineStatus.Failed f -> "FAILED: " + f.detail();
                    case EngineStatus.Loading l -> "still loading";
                };
                ok &= status instanceof EngineStatus.Ready;
                System.out.println("engine " + status.id() + ": " + line);
            }
        }
        ok &= prepareDecoder();
        return ok ? 0 : 1;
    }

    /** Decoding a short WAV is what makes the decoder unpack and load its natives; nothing else does. */
    private static boolean prepareDecoder() throws IOException {
        Optional<AudioFileDecoder> decoder = AudioFileDecoder.installed();
        if (decoder.isEmpty()) {
            System.out.println("file decoder: none installed (only WAV uploads would work)");
            return false;
        }
        Path wav = Files.createTempFile("voxgate-prepare", ".wav");
        try {
            WavWriter.write(wav, 16_000, 1, new short[1_600]);
            decoder.get().decodeAll(wav, 16_000);
            System.out.println("file decoder " + decoder.get().id() + ": ready");
            return true;
        } catch (AudioDecodeException e) {
            System.out.println("file decoder " + decoder.get().id() + ": FAILED: " + e.getMessage());
            return false;
        } finally {
            Files.deleteIfExists(wav);
        }
    }
}
