package dev.voxgate.jobs;

import dev.voxgate.audio.transcribe.Transcript;

import java.nio.file.Path;
import java.util.function.DoubleConsumer;

/**
 * The real work of a job, supplied by the server (FFmpeg decoding plus the engine). Called on a
 * thread of its own per job; several calls run at once, up to {@code WORKER_CONCURRENCY}.
 *
 * <p>How failures are treated: an {@link dev.voxgate.audio.decode.AudioDecodeException} whose
 * {@link dev.voxgate.audio.decode.AudioDecodeException.Reason#fileProblem() reason is the file's},
 * a {@link dev.voxgate.api.UnsupportedAudioException} and a {@link PermanentFailureException} (which
 * carries its own error code) fail the job for good; anything else is
 * taken as transient (engine not ready, I/O) and the job is tried again later.
 *
 * <p>Stopping: when the job is cancelled or runs out of time, the next call of {@code progress}
 * throws an unchecked exception; let it propagate (clean up in {@code finally}). The thread is
 * also interrupted.
 */
@FunctionalInterface
public interface FileTranscriber {
    /** Decodes and transcribes the file; progress in [0,1]; may be called often. */
    Transcript transcribe(Path audio, JobRequest request, DoubleConsumer progress) throws Exception;
}
