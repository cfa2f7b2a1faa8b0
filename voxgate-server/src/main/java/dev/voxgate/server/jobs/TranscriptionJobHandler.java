package dev.voxgate.server.jobs;

import dev.voxgate.api.StreamingEngine;
import dev.voxgate.api.UnsupportedAudioException;
import dev.voxgate.audio.decode.AudioDecodeException;
import dev.voxgate.audio.transcribe.Transcript;
import dev.voxgate.server.batch.BatchException;
import dev.voxgate.server.batch.BatchTranscriber;
import dev.voxgate.server.config.JobsConfig;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * Runs one batch job on a JobRunr worker thread. Bad input (not decodable, unknown engine or
 * language) and the time limit fail the job for good; anything else (engine still loading, I/O)
 * is rethrown so JobRunr retries with backoff, up to {@code JOB_MAX_RETRIES} times.
 */
public final class TranscriptionJobHandler implements JobRequestHandler<TranscriptionJobRequest> {
    private static final Logger log = LoggerFactory.getLogger(TranscriptionJobHandler.class);

    private final JobStore store;
    private final BlobStore blobs;
    private final BatchTranscriber transcriber;
    private final Clock clock;
    private final JobsConfig config;
    private final String node;

    TranscriptionJobHandler(JobStore store, BlobStore blobs, BatchTranscriber transcriber, Clock clock, JobsConfig config, String node) {
        this.store = store;
        this.blobs = blobs;
        this.transcriber = transcriber;
        this.clock = clock;
        this.config = config;
        this.node = node;
    }

    /** Thrown from the progress callback to stop decoding. */
    private static final class Stop extends RuntimeException {
        final String code;

        Stop(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    @Override
    public void run(TranscriptionJobRequest request) throws Exception {
        UUID id = request.jobId();
        JobRecord job = store.find(id).orElse(null);
        if (job == null || job.status().isFinal()) return;
        if (!store.markRunning(id, clock.instant(), node)) return;
        job = store.find(id).orElseThrow();
        Instant deadline = clock.instant().plus(config.jobTimeout());
        try {
            StreamingEngine engine = transcriber.engine(job.engine());
            String language = transcriber.language(engine, job.language());
            Path audio = blobs.localCopy(job.uploadKey());
            var progress = new Object() {
                long lastCheck;
                int lastPercent = -1;
            };
            BatchTranscriber.Result r = transcriber.transcribe(engine, audio, language, fraction -> {
                long now = clock.millis();
                if (clock.instant().isAfter(deadline)) {
                    throw new Stop("job_timeout", "the job ran longer than JOB_TIMEOUT_MINUTES=" + config.jobTimeout().toMinutes());
                }
                int percent = (int) Math.min(99, Math.floor(fraction * 100));
                if (now - progress.lastCheck >= 1000 || percent >= progress.lastPercent + 5) {
                    progress.lastCheck = now;
                    progress.lastPercent = percent;
                    if (store.find(id).map(j -> j.status() == JobStatus.CANCELLED).orElse(true)) throw new Stop("cancelled", "cancelled");
                    store.progress(id, percent);
                }
            });
            if (r.decoded().shorterThanAnnounced()) {
                store.markFailed(id, clock.instant(), "truncated_file", String.format(Locale.ROOT,
                        "the file ends after %.1f s of the %.1f s its header announces: it looks cut short; upload it again",
                        r.decoded().decodedSeconds(), r.decoded().probe().durationSeconds().orElse(0)));
                return;
            }
            Transcript t = r.decoded().transcript();
            String prefix = "results/" + id;
            for (String format : job.formats()) {
                blobs.putBytes(prefix + "/transcript." + format, TranscriptFiles.render(format, t, r.engine(), r.language()));
            }
            if (!store.markSucceeded(id, clock.instant(), r.decoded().decodedSeconds(), prefix)) {
                blobs.deletePrefix(prefix); // cancelled while finishing
            }
            log.info("job {} succeeded: {} s of audio", id, String.format("%.1f", r.decoded().decodedSeconds()));
        } catch (Stop s) {
            if (!s.code.equals("cancelled")) store.markFailed(id, clock.instant(), s.code, s.getMessage());
        } catch (AudioDecodeException e) {
            if (e.reason().fileProblem()) store.markFailed(id, clock.instant(), e.reason().code(), e.getMessage());
            else retryOrFail(id, e.reason().code(), e);
        } catch (BatchException.UnknownEngine | BatchException.UnsupportedLanguage | UnsupportedAudioException e) {
            store.markFailed(id, clock.instant(), "invalid_request", e.getMessage());
        } catch (InterruptedException e) {
            // The server is stopping: leave the job to be run again.
            store.markRetrying(id, "interrupted", "the server stopped while the job ran; it will run again");
            Thread.currentThread().interrupt();
            throw e;
        } catch (Exception e) {
            retryOrFail(id, e instanceof BatchException ? "engine_unavailable" : "internal_error", e);
        }
    }

    private void retryOrFail(UUID id, String code, Exception e) throws Exception {
        int attempts = store.find(id).map(JobRecord::attempts).orElse(0);
        if (attempts > config.maxRetries()) {
            store.markFailed(id, clock.instant(), code, e.getMessage() + " (after " + attempts + " attempts)");
            return;
        }
        log.warn("job {} attempt {} failed, will retry: {}", id, attempts, e.toString());
        store.markRetrying(id, code, e.getMessage());
        throw e;
    }
}
