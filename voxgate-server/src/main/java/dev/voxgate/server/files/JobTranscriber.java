package dev.voxgate.server.files;

import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.transcribe.Transcript;
import dev.voxgate.jobs.FileTranscriber;
import dev.voxgate.jobs.JobRequest;
import dev.voxgate.jobs.PermanentFailureException;
import dev.voxgate.jobs.TransientFailureException;
import dev.voxgate.server.engine.EngineSelection;
import dev.voxgate.server.engine.EngineSelector;
import dev.voxgate.server.error.ApiError;
import dev.voxgate.server.error.ApiException;

import java.nio.file.Path;
import java.util.function.DoubleConsumer;

/**
 * A queued job's work for {@code voxgate-jobs}: the same {@link FileTranscription} as the synchronous
 * route, under the same rules (a file cut short is {@code truncated_file} on both). A failure keeps its
 * catalogue code; whether the job is tried again follows from it: an engine still loading or no decoder
 * on this node is retried, anything the file or the request is at fault for fails the job for good. A job
 * that asked for word times ({@link JobRequest#wordTimes()}) gets them as the OpenAI route does.
 */
public final class JobTranscriber implements FileTranscriber {
    private final EngineSelector selector;
    private final FileTranscription files;

    public JobTranscriber(EngineSelector selector, FileTranscription files) {
        this.selector = selector;
        this.files = files;
    }

    @Override
    public Transcript transcribe(Path audio, JobRequest request, DoubleConsumer progress) throws Exception {
        try {
            EngineSelection chosen = selector.select(EngineSelector.Use.FILE, request.engine(), request.language());
            if (!(chosen instanceof EngineSelection.Selected s)) throw new ApiException(chosen.error("engine"));
            StreamingEngine engine = request.wordTimes() ? selector.withWordTimes(s) : s.engine();
            return files.transcribe(s.id(), engine, s.language(), audio, progress, FileEvents.Source.JOB)
                    .requireComplete().transcript();
        } catch (ApiException e) {
            ApiError error = e.error();
            if (error.code().retryable()) throw new TransientFailureException(error.code().code(), error.message(), e);
            throw new PermanentFailureException(error.code().code(), error.message());
        }
    }
}
