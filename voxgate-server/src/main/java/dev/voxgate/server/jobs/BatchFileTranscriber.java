package dev.voxgate.server.jobs;

import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.transcribe.Transcript;
import dev.voxgate.jobs.FileTranscriber;
import dev.voxgate.jobs.JobRequest;
import dev.voxgate.jobs.PermanentFailureException;
import dev.voxgate.server.batch.BatchException;
import dev.voxgate.server.batch.BatchTranscriber;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.DoubleConsumer;

/**
 * A job's work for {@code voxgate-jobs}: the server's {@link BatchTranscriber} (FFmpeg decoding
 * plus the engine). Failures are translated into what {@link FileTranscriber} treats as permanent
 * or transient: a file the decoder rejects, a file cut short ({@code truncated_file}) and an engine
 * or language that does not exist ({@code invalid_request}) fail the job for good; an engine still
 * loading, or no decoder on this node ({@code engine_unavailable}), is tried again.
 */
public final class BatchFileTranscriber implements FileTranscriber {
    private final BatchTranscriber batch;

    public BatchFileTranscriber(BatchTranscriber batch) {
        this.batch = batch;
    }

    @Override
    public Transcript transcribe(Path audio, JobRequest request, DoubleConsumer progress) throws Exception {
        StreamingEngine engine;
        String language;
        try {
            engine = batch.engine(request.engine());
            language = batch.language(engine, request.language());
        } catch (BatchException.UnknownEngine | BatchException.UnsupportedLanguage e) {
            throw new PermanentFailureException("invalid_request", e.getMessage());
        } catch (BatchException e) { // EngineNotReady, NoDecoder: another attempt (or node) may work
            throw new EngineUnavailableException(e.getMessage(), e);
        }
        BatchTranscriber.Result r;
        try {
            r = batch.transcribe(engine, audio, language, progress);
        } catch (BatchException e) {
            throw new EngineUnavailableException(e.getMessage(), e);
        }
        if (r.decoded().shorterThanAnnounced()) {
            throw new PermanentFailureException("truncated_file", String.format(Locale.ROOT,
                    "the file ends after %.1f s of the %.1f s its header announces: it looks cut short; upload it again",
                    r.decoded().decodedSeconds(), r.decoded().probe().durationSeconds().orElse(0)));
        }
        return r.decoded().transcript();
    }
}
