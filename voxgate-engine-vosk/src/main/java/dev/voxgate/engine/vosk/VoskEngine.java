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
 * recognizer per session at a time, word timings and partials on.
 *
 * <p>Warm recognizers: making a recognizer is native, CPU-bound work (about 65 ms on one core for
 * the bundled model), and a new one starts with an empty cache of the lazily composed decoding
 * graph, so its first seconds of audio decode several times slower than on a recognizer that has
 * served (measured on the bundled model: about 0.2 × real time against 0.05–0.1 ×). So up to
 * {@code warm} idle recognizers are kept: made at load, and given back by the sessions that close
 * ({@link ReusableRecognizer#recycle()} makes them like new). A session takes one if there is one,
 * and makes its own otherwise. There is no background refill: idle recognizers are those made at
 * load and those left by sessions that ended, so the pool never holds more than its bound, never
 * makes a recognizer nobody asked for after load, and holds no more memory than the peak of open
 * sessions did. A recognizer whose session failed is closed.
 */
public final class VoskEngine implements StreamingEngine {
    private static final Logger log = LoggerFactory.getLogger(VoskEngine.class);
    private static final Pattern SAMPLE_FREQUENCY = Pattern.compile("--sample-frequency=(\\d+)");

    private final Model model;
    private final EngineDescriptor descriptor;
    private final int sampleRate;
    private final WarmPool<ReusableRecognizer> warm;
    private volatile boolean closed;

    private VoskEngine(Model model, EngineDescriptor descriptor, int sampleRate, int warmRecognizers) {
        this.model = model;
        this.descriptor = descriptor;
        this.sampleRate = sampleRate;
        this.warm = new WarmPool<>(warmRecognizers, ReusableRecognizer::close);
    }

    static EngineCapabilities capabilities(int rate, List<String> languages) {
        return new EngineCapabilities(true, true, true, List.of(rate), rate, languages);
    }

    /**
     * Loads the model in {@code dir} and makes {@code warmRecognizers} recognizers ready, the most it
     * will keep idle (0: every session makes its own and closes it).
     */
    static VoskEngine load(Path dir, String origin, int warmRecognizers) throws EngineException {
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
        VoskEngine engine = new VoskEngine(model, new EngineDescriptor(VoskEngineProvider.ID,
                "Vosk (Kaldi) offline recognizer", version == null ? "0.3.45" : version,
                capabilities(rate, List.of("en")), info), rate, warmRecognizers);
        engine.prewarm();
        return engine;
    }

    /** Fills the pool, so that the first sessions find recognizers too; a failure here is left to the sessions. */
    private void prewarm() {
        long t0 = System.nanoTime();
        while (warm.hasRoom()) {
            try {
                warm.offer(ReusableRecognizer.create(model, sampleRate));
            } catch (IOException | RuntimeException e) {
                log.warn("Vosk could not make a warm recognizer ({}); sessions will make their own", e.toString());
                return;
            }
        }
        if (warm.capacity() > 0) {
            log.info("{} Vosk recognizers ready in {} ms", warm.idle(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** Idle recognizers now (for tests). */
    int warmRecognizers() {
        return warm.idle();
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
        ReusableRecognizer recognizer = warm.poll();
        if (recognizer == null) {
            try {
                recognizer = ReusableRecognizer.create(model, sampleRate);
            } catch (IOException | RuntimeException e) {
                throw new EngineUnavailableException("Vosk could not create a recognizer: " + e.getMessage(), e);
            }
        }
        return new VoskSession(recognizer, listener, this::release);
    }

    /** A session's recognizer back: kept for the next session when it is clean and there is room, else closed. */
    private void release(ReusableRecognizer recognizer, boolean failed) {
        boolean reusable = false;
        if (!failed && !closed && warm.hasRoom()) {
            try {
                reusable = recognizer.recycle();
            } catch (RuntimeException e) {
                log.warn("Vosk could not reset a recognizer for reuse; closing it: {}", e.toString());
            }
        }
        if (reusable) warm.offer(recognizer);
        else recognizer.close();
    }

    /** Closes the idle recognizers; those of open sessions are closed as the sessions close. */
    @Override
    public void close() {
        closed = true;
        warm.close();
        model.close();
    }
}
