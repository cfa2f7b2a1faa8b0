package dev.voxgate.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One batch job as the {@code jobs} table holds it: what the API shows.
 *
 * @param progress        0–100; 100 only once succeeded
 * @param request         engine, language and formats as the client asked
 * @param displayName     the uploaded file's name as the client gave it, for display only: never
 *                        used to build a path or a storage key
 * @param detectedFormat  what the decoder found in the content ({@code mp3}, {@code wav}, …)
 * @param durationSeconds the audio's length: the header's announcement at upload, the decoded length
 *                        once succeeded; null when unknown
 * @param startedAt       when the latest attempt started; null while never run
 * @param finishedAt      when it reached a final status; null before
 * @param errorCode       the stable code of the last failure ({@code not_audio}, {@code job_timeout},
 *                        {@code engine_unavailable}, …); kept while a retry waits, cleared on success
 * @param errorMessage    the last failure in words, for users
 * @param attempts        how many times a worker started it
 * @param uploadKey       the stored upload; null once deleted (retention, cancel)
 * @param resultKeys      the stored transcript files; empty until succeeded and after deletion
 * @param workerId        the node that ran the latest attempt; null while never run
 * @param owner           the id of the API key that submitted it; null when the server ran open (no
 *                        authentication), and then no key sees it
 */
public record JobRecord(UUID id, JobStatus status, int progress, JobRequest request,
                        String displayName, String detectedFormat, long sizeBytes, Double durationSeconds,
                        Instant createdAt, Instant startedAt, Instant finishedAt,
                        String errorCode, String errorMessage, int attempts,
                        String uploadKey, List<String> resultKeys, String workerId, String owner) {

    public JobRecord {
        resultKeys = resultKeys == null ? List.of() : List.copyOf(resultKeys);
    }

    /** The key of the transcript in this format, when the job has one. */
    public Optional<String> resultKey(ResultFormat format) {
        String suffix = "/transcript." + format.extension();
        return resultKeys.stream().filter(k -> k.endsWith(suffix)).findFirst();
    }
}
