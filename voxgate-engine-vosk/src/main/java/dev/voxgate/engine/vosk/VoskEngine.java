package dev.voxgate.engine.vosk;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.EngineDescriptor;
import dev.voxgate.api.EngineException;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.RecognitionListener;
import dev.voxgate.api.RecognitionSession;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.api.UnsupportedAudioException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import org.vosk.Recognizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vosk (Kaldi) recognition: one {@link Model} loaded once and shared by all sessions, one
 * {@link Recognizer} per session, word timings and partials on.
 */
public final class VoskEngine implements StreamingEngine {
    private static final Logger log = LoggerFactory.getLogger(VoskEngine.class);
    private static final Pattern SAMPLE_FREQUENCY = Pattern.compile("--sample-frequency=(\\d+)");

    private final Model model;
    private final EngineDescriptor descriptor;
    private final int sampleRate;
    private volatile boolean closed;

    private VoskEngine(Model model, EngineDescriptor descriptor, int sampleRate) {
        this.model = model;
        this.descriptor = descriptor;
        this.sampleRate = sampleRate;
    }

    static EngineCapabilities capabilities(int rate, List<String> languages) {
        return new EngineCapabilities(true, true, true, List.of(rate), rate, languages);
    }

    static VoskEngine load(Path dir, String origin) throws EngineException {
        LibVosk.setLogLevel(LogLevel.WARNINGS);
        int rate = modelSampleRate(dir);
        long t0 = System.nanoTime();
        Model model;
        try {
            model = new Model(dir.toString());
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            throw new EngineUnavailableException("Vosk could not load the model in " + dir + ": " + e.getMessage()
                    + " (is it a complete, unpacked Vosk model?)", e);
        }
        Map<String, String> info = new LinkedHashMap<>();
        info.put("path", dir.toAbsolutePath().toString());
        info.put("origin", origin);
        info.put("uuid", readQuietly(dir.resolve("uuid")));
        info.put("sampleRate", Integer.toString(rate));
        log.info("Vosk model loaded from {} in {} ms", dir, (System.nanoTime() - t0) / 1_000_000);
        String version = VoskEngine.class.getPackage().getImplementationVersion();
        return new VoskEngine(model, new EngineDescriptor(VoskEngineProvider.ID, "Vosk (Kaldi) offline recognizer",
                version == null ? "0.3.45" : version, capabilities(rate, List.of("en")), info), rate);
    }

    private static int modelSampleRate(Path dir) {
        try {
            Matcher m = SAMPLE_FREQUENCY.matcher(Files.readString(dir.resolve("conf/mfcc.conf")));
            if (m.find()) return Integer.parseInt(m.group(1));
        } catch (IOException | RuntimeException ignored) {
            // Models without an mfcc.conf are 16 kHz, the Vosk default.
        }
        return 16000;
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public EngineDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public boolean isReady() {
        return !closed;
    }

    @Override
    public RecognitionSession open(SessionOptions options, RecognitionListener listener) throws EngineException {
        if (closed) throw new EngineUnavailableException("the Vosk engine is shut down");
        if (options.sampleRate() != sampleRate) {
            throw new UnsupportedAudioException("this Vosk model takes " + sampleRate + " Hz audio, not "
                    + options.sampleRate());
        }
        if (!descriptor.capabilities().supportsLanguage(options.language())) {
            throw new UnsupportedAudioException("this Vosk model recognises " + descriptor.capabilities().languages()
                    + ", not '" + options.language() + "'");
        }
        try {
            Recognizer recognizer = new Recognizer(model, sampleRate);
            recognizer.setWords(true);
            recognizer.setPartialWords(false);
            return new VoskSession(recognizer, listener);
        } catch (IOException | RuntimeException e) {
            throw new EngineUnavailableException("Vosk could not create a recognizer: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        model.close();
    }
}
