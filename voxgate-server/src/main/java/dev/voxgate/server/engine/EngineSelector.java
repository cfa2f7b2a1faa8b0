package dev.voxgate.server.engine;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.transcribe.WordTimedEngine;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one place that turns what a client asked for (an engine id or nothing, a language or nothing)
 * into an engine: used by the WebSocket sessions, the file routes, the job worker and the command
 * line, so an unknown engine is {@code unknown_engine} with the same message on every surface.
 */
public final class EngineSelector {
    /** Engine ids: lower case letters, digits and {@code . _ + -} ({@code vosk+whisper} is a composed engine). */
    public static final Pattern ENGINE_ID = Pattern.compile("[a-z0-9][a-z0-9._+-]{0,63}");
    /** A BCP 47-like tag: {@code en}, {@code en-US}, {@code pt_BR}, {@code zh-Hans-CN}. */
    public static final Pattern LANGUAGE_TAG = Pattern.compile("[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*");
    /**
     * OpenAI's transcription model names: a client written for OpenAI selects the default file engine with
     * them, and {@code GET /v1/models} lists them beside the engines.
     */
    public static final List<String> OPENAI_MODELS = List.of("whisper-1", "gpt-4o-transcribe",
            "gpt-4o-mini-transcribe");

    /** The engine whose word times are given to a file engine's words when they are asked for: Vosk. */
    public static final String WORD_TIMING_ENGINE = "vosk";

    /**
     * What the audio is for: streams default to {@code ENGINE}, files to {@code FILE_ENGINE} and their engine's first
     * language.
     */
    public enum Use { STREAM, FILE }

    private final EngineRegistry engines;
    private final EngineFallback fallback;

    /** Sessions use the engine they ask for and end when it fails. */
    public EngineSelector(EngineRegistry engines) {
        this(engines, EngineFallback.none(engines));
    }

    /** With {@code ENGINE_FALLBACK}: a selected engine moves on to the next of the chain when it fails. */
    public EngineSelector(EngineRegistry engines, EngineFallback fallback) {
        this.engines = engines;
        this.fallback = fallback;
    }

    public EngineFallback fallback() {
        return fallback;
    }

    /** The engine to use now: {@link EngineSelection.NotReady} when it is installed but not loaded. */
    public EngineSelection select(Use use, String engineId, String language) {
        return resolve(use, engineId, language, true);
    }

    /**
     * Checks a request that will run later (a queued job): an engine still loading passes, as the
     * worker waits for it; {@link EngineSelection.Selected#engine()} is then {@code null}.
     */
    public EngineSelection validate(Use use, String engineId, String language) {
        return resolve(use, engineId, language, false);
    }

    /**
     * OpenAI's {@code model}: one of {@link #OPENAI_MODELS} or blank means the default file engine; else an engine id.
     */
    public EngineSelection selectModel(String model, String language) {
        String m = model == null ? "" : model.strip();
        return select(Use.FILE, OPENAI_MODELS.contains(m.toLowerCase(Locale.ROOT)) ? null : m, language);
    }

    /**
     * The selected engine with word times, for the outputs that show them: itself when it times words,
     * else a {@link WordTimedEngine} that runs {@value #WORD_TIMING_ENGINE} beside it (about three times the
     * CPU of Whisper alone; docs/api.md). Itself, without word times, when that engine is not ready.
     */
    public StreamingEngine withWordTimes(EngineSelection.Selected chosen) {
        StreamingEngine engine = chosen.engine();
        if (engine == null || engine.descriptor().capabilities().wordTimings()) return engine;
        return engines.streaming(WORD_TIMING_ENGINE).filter(StreamingEngine::isReady)
                .<StreamingEngine>map(timing -> new WordTimedEngine(engine, timing)).orElse(engine);
    }

    /** Whether {@code id} names something {@code /v1/models/{id}} should describe. */
    public boolean isModel(String id) {
        return OPENAI_MODELS.contains(id) || engines.status(id).isPresent();
    }

    public String defaultId(Use use) {
        return use == Use.STREAM ? engines.defaultEngine() : engines.defaultFileEngine();
    }

    private EngineSelection resolve(Use use, String engineId, String language, boolean mustBeReady) {
        String id = engineId == null || engineId.isBlank() ? defaultId(use) : normalise(engineId);
        Optional<EngineStatus> status = engines.status(id);
        if (status.isEmpty() && engines.unconfigured().containsKey(id)) {
            return new EngineSelection.NotReady(id, "is installed but not configured on this server ("
                    + engines.unconfigured().get(id) + " not set)");
        }
        if (status.isEmpty()) return new EngineSelection.Unknown(id, installed());
        EngineCapabilities caps = status.get().capabilities();
        String tag = language == null || language.isBlank() ? null : language.strip();
        if (tag != null && (!LANGUAGE_TAG.matcher(tag).matches() || !caps.supportsLanguage(tag))) {
            return new EngineSelection.UnsupportedLanguage(id, tag, caps.languages());
        }
        if (tag == null && use == Use.FILE && !caps.languages().isEmpty()) tag = caps.languages().get(0);
        StreamingEngine engine = engines.streaming(id).orElse(null);
        if (fallback.isConfigured() && fallback.canServe(id)) {
            // The chain serves it: the engine itself if it can, else the next that can, moving on when one fails.
            return new EngineSelection.Selected(id, fallback.engineFor(id), tag);
        }
        if (engine == null && (mustBeReady || status.get() instanceof EngineStatus.Failed)) {
            return new EngineSelection.NotReady(id, switch (status.get()) {
                case EngineStatus.Failed f -> "failed to load (" + f.reason() + ")";
                case EngineStatus.Loading l -> "is still loading";
                case EngineStatus.Ready r -> r.engine() instanceof StreamingEngine
                        ? "is down (the remote it uses does not answer)" : "cannot transcribe audio streams";
            });
        }
        return new EngineSelection.Selected(id, engine, tag);
    }

    /** Ids are case-insensitive, and a {@code +} sent unescaped in a query arrives as a space. */
    public static String normalise(String engineId) {
        return engineId.strip().replace(' ', '+').toLowerCase(Locale.ROOT);
    }

    private List<String> installed() {
        return engines.all().stream().map(EngineStatus::id).toList();
    }
}
