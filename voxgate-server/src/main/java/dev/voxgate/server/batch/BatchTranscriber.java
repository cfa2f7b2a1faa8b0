package dev.voxgate.server.batch;

import dev.voxgate.api.EngineException;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.decode.AudioDecodeException;
import dev.voxgate.audio.decode.AudioFileDecoder;
import dev.voxgate.audio.decode.AudioProbe;
import dev.voxgate.audio.transcribe.DecodingTranscriber;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.engine.EngineStatus;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.DoubleConsumer;

/**
 * Transcribes whole files (uploads, OpenAI-style requests, batch jobs): picks the engine,
 * decodes any container with the installed {@link AudioFileDecoder} and feeds the engine while
 * decoding. At most {@code concurrency} files are transcribed at once across the server, so file
 * work cannot starve live sessions of every core; callers beyond that wait their turn.
 * Runs on the calling thread (a request's virtual thread or a job worker), never on a Jetty selector.
 */
public final class BatchTranscriber {
    private final EngineRegistry engines;
    private final Optional<AudioFileDecoder> decoder;
    private final Semaphore permits;

    public record Result(DecodingTranscriber.Result decoded, String engine, String language) {
    }

    public BatchTranscriber(EngineRegistry engines, Optional<AudioFileDecoder> decoder, int concurrency) {
        this.engines = engines;
        this.decoder = decoder;
        this.permits = new Semaphore(Math.max(1, concurrency), true);
    }

    /** The engine for a request: the named one, or the default for files when {@code requested} is blank. */
    public StreamingEngine engine(String requested) throws BatchException {
        String id = requested == null || requested.isBlank() ? engines.defaultFileEngine() : requested.strip();
        EngineStatus status = engines.status(id).orElseThrow(() ->
                new BatchException.UnknownEngine(id, engines.all().stream().map(EngineStatus::id).toList()));
        return switch (status) {
            case EngineStatus.Ready r when r.engine() instanceof StreamingEngine se && se.isReady() -> se;
            case EngineStatus.Ready r -> throw new BatchException.EngineNotReady(id, "not ready");
            case EngineStatus.Loading l -> throw new BatchException.EngineNotReady(id, "still loading");
            case EngineStatus.Failed f -> throw new BatchException.EngineNotReady(id, "unavailable (" + f.reason() + ")");
        };
    }

    /** Whether an engine id names an installed engine (loaded or not). */
    public boolean isEngine(String id) {
        return id != null && engines.status(id.strip()).isPresent();
    }

    public String defaultEngine() {
        return engines.defaultFileEngine();
    }

    /** The language to use: the requested tag if the engine has it, else its first language. */
    public String language(StreamingEngine engine, String requested) throws BatchException {
        var caps = engine.descriptor().capabilities();
        if (requested == null || requested.isBlank()) return caps.languages().isEmpty() ? null : caps.languages().get(0);
        String tag = requested.strip();
        if (!tag.matches("[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*") || !caps.supportsLanguage(tag)) {
            throw new BatchException.UnsupportedLanguage(tag, engine.descriptor().id(), caps.languages());
        }
        return tag;
    }

    public AudioProbe probe(Path file) throws AudioDecodeException, BatchException {
        return decoder().probe(file);
    }

    public Result transcribe(StreamingEngine engine, Path file, String language, DoubleConsumer progress)
            throws EngineException, AudioDecodeException, BatchException, InterruptedException {
        AudioFileDecoder d = decoder();
        permits.acquire();
        try {
            return new Result(DecodingTranscriber.run(engine, d, file, language, progress), engine.descriptor().id(), language);
        } finally {
            permits.release();
        }
    }

    private AudioFileDecoder decoder() throws BatchException {
        return decoder.orElseThrow(BatchException.NoDecoder::new);
    }
}
