package dev.voxgate.jobs;

import dev.voxgate.audio.decode.AudioProbe;
import dev.voxgate.jobs.db.JobRepository;
import dev.voxgate.jobs.queue.RunningJobs;
import dev.voxgate.jobs.queue.StopReason;
import dev.voxgate.jobs.queue.TranscribeJob;
import dev.voxgate.jobs.storage.BlobKey;
import dev.voxgate.jobs.storage.BlobStore;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Batch transcription jobs: submit, look up, list, cancel, download. What the server's job routes
 * call (the OpenAI-compatible endpoint transcribes synchronously and does not use jobs). Thread-safe;
 * every method may block on the database or the store, so call it from a request thread, never an
 * I/O event loop.
 *
 * <p>Jobs belong to the API key that submitted them. Every method takes the caller's owner
 * filter: empty when the server runs open (every job is visible, and new jobs have no owner), a key id
 * when authenticated (only that key's jobs; another's are answered exactly as a job that does not
 * exist, and a job made while the server ran open belongs to no key).
 *
 * <p>Database failures surface as {@link JobDatabaseException}, storage failures as other
 * {@link IOException}s.
 */
public final class TranscriptionJobs {
    private static final Logger log = LoggerFactory.getLogger(TranscriptionJobs.class);
    private static final int MAX_DISPLAY_NAME = 255;

    private final JobRepository repo;
    private final BlobStore blobs;
    private final JobRequestScheduler scheduler;
    private final RunningJobs running;
    private final Clock clock;
    private final Runnable wakeLocalWorkers;

    TranscriptionJobs(JobRepository repo, BlobStore blobs, JobRequestScheduler scheduler, RunningJobs running,
            Clock clock,
                      Runnable wakeLocalWorkers) {
        this.repo = repo;
        this.blobs = blobs;
        this.scheduler = scheduler;
        this.running = running;
        this.clock = clock;
        this.wakeLocalWorkers = wakeLocalWorkers;
    }

    /**
     * Takes over an uploaded file and queues its transcription. The file is moved into the store
     * (so the caller must not use it afterwards) under a key made from the new job's id; the
     * display name is kept as text only.
     *
     * @param uploadedFile the received upload, already checked (size, allow-listed format)
     * @param displayName  the client's name for the file, shown in job lists; may be null
     * @param probe        what the decoder found in the file
     * @param owner        the submitting key's id, stored as the job's owner; empty when the server runs open
     * @return the new job, {@code queued}
     */
    public JobRecord submit(Path uploadedFile, String displayName, AudioProbe probe, JobRequest request,
            Optional<String> owner) throws IOException {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        long size = Files.size(uploadedFile);
        BlobKey key = BlobKey.upload(id, now);
        blobs.putFile(key, uploadedFile);
        JobRecord job = new JobRecord(id, JobStatus.QUEUED, 0, request, displayName(displayName), probe.format(), size,
                probe.durationSeconds().isPresent() ? probe.durationSeconds().getAsDouble() : null,
                now, null, null, null, null, 0, key.value(), List.of(), null, owner.orElse(null));
        try {
            repo.insert(job);
        } catch (SQLException e) {
            deleteQuietly(key);
            throw new JobDatabaseException("could not record the job: " + e.getMessage(), e);
        }
        try {
            // The JobRunr job gets the same id: cancel can then find it without a lookup table.
            scheduler.enqueue(id, new TranscribeJob(id));
        } catch (RuntimeException e) {
            try {
                repo.delete(id, EnumSet.of(JobStatus.QUEUED));
            } catch (SQLException again) {
                e.addSuppressed(again);
            }
            deleteQuietly(key);
            throw new JobDatabaseException("could not queue the job: " + e.getMessage(), e);
        }
        wakeLocalWorkers.run();
        log.info("job {} queued: {} bytes of {}", id, size, probe.format());
        return job;
    }

    /** A job, when {@code owner} may see it (empty: any job). */
    public Optional<JobRecord> find(UUID id, Optional<String> owner) throws JobDatabaseException {
        try {
            return repo.find(id, owner);
        } catch (SQLException e) {
            throw new JobDatabaseException("could not read the job: " + e.getMessage(), e);
        }
    }

    /**
     * The jobs {@code owner} may see, newest first.
     *
     * @param owner empty for all jobs, a key id for that key's
     * @param page  from 0
     * @param size  from 1
     */
    public Page<JobRecord> list(Optional<String> owner, int page, int size) throws JobDatabaseException {
        try {
            return repo.list(owner, page, size);
        } catch (SQLException e) {
            throw new JobDatabaseException("could not list the jobs: " + e.getMessage(), e);
        }
    }

    /** Queued and running jobs now, of every owner and on every node sharing the database (for metrics). */
    public JobRepository.ActiveCounts activeCounts() throws JobDatabaseException {
        try {
            return repo.countActive();
        } catch (SQLException e) {
            throw new JobDatabaseException("could not count the jobs: " + e.getMessage(), e);
        }
    }

    /**
     * Cancels a job, or deletes a finished one (see {@link CancelOutcome}). Harmless to repeat: a
     * second call on a cancelled job answers {@link CancelOutcome#ALREADY_CANCELLED}, on a deleted
     * one {@link CancelOutcome#NOT_FOUND}. Another owner's job is {@link CancelOutcome#NOT_FOUND} and
     * stays as it is.
     */
    public CancelOutcome cancel(UUID id, Optional<String> owner) throws IOException {
        try {
            // Each pass acts only if the row is still what it read; a worker changing it meanwhile means another pass.
            // A row's owner never changes, so once read as this owner's, acting on it by id is acting on theirs.
            for (int pass = 0; pass < 10; pass++) {
                Optional<JobRecord> found = repo.find(id, owner);
                if (found.isEmpty()) return CancelOutcome.NOT_FOUND;
                JobRecord job = found.get();
                switch (job.status()) {
                    case QUEUED -> {
                        if (repo.cancel(id, owner, JobStatus.QUEUED, clock.instant())) {
                            removeFromQueue(id);
                            if (job.uploadKey() != null) {
                                blobs.delete(BlobKey.of(job.uploadKey()));
                                repo.clearUpload(job.uploadKey());
                            }
                            log.info("job {} cancelled while queued", id);
                            return CancelOutcome.CANCELLED;
                        }
                    }
                    case RUNNING -> {
                        if (repo.cancel(id, owner, JobStatus.RUNNING, clock.instant())) {
                            // On this node the worker stops now; elsewhere at its next progress write. It deletes the
                            // files.
                            running.stop(id, StopReason.CANCELLED);
                            log.info("job {} cancelled while running", id);
                            return CancelOutcome.STOPPING;
                        }
                    }
                    case CANCELLED -> {
                        return CancelOutcome.ALREADY_CANCELLED;
                    }
                    case SUCCEEDED, FAILED -> {
                        if (repo.delete(id, EnumSet.of(JobStatus.SUCCEEDED, JobStatus.FAILED))) {
                            blobs.deletePrefix(BlobKey.resultPrefix(id));
                            if (job.uploadKey() != null) blobs.delete(BlobKey.of(job.uploadKey()));
                            log.info("job {} ({}) deleted with its files", id, job.status().code());
                            return CancelOutcome.DELETED;
                        }
                    }
                }
            }
            throw new JobDatabaseException("job " + id + " kept changing while it was being cancelled; try again",
                    null);
        } catch (SQLException e) {
            throw new JobDatabaseException("could not cancel the job: " + e.getMessage(), e);
        }
    }

    /**
     * A succeeded job's transcript.
     *
     * @param owner  empty for any job, a key id for that key's only
     * @param format {@code txt}, {@code json}, {@code srt} or {@code vtt}
     * @return the file's content (the caller closes it); empty when there is no such job ({@code owner}
     *         may see), it has not succeeded, or its transcripts are gone
     * @throws IllegalArgumentException for another format
     */
    public Optional<InputStream> openResult(UUID id, Optional<String> owner, String format) throws IOException {
        ResultFormat f = ResultFormat.parse(format).orElseThrow(() -> new IllegalArgumentException(
                "unknown transcript format '" + String.valueOf(format).replaceAll("\\p{Cntrl}", "?")
                + "': use txt, json, srt or vtt"));
        Optional<JobRecord> job = find(id, owner);
        if (job.isEmpty() || job.get().status() != JobStatus.SUCCEEDED) return Optional.empty();
        Optional<String> key = job.get().resultKey(f);
        return key.isEmpty() ? Optional.empty() : blobs.open(BlobKey.of(key.get()));
    }

    /**
     * Deletes a finished job (succeeded, failed or cancelled) with its record, transcripts and upload.
     * Unlike {@link #cancel}, never touches a queued or running job.
     *
     * @return true when the job was deleted; false when there is no such job {@code owner} may see, or it is
     *         not finished (queued or running) at the moment of the delete
     */
    public boolean delete(UUID id, Optional<String> owner) throws IOException {
        try {
            Optional<JobRecord> found = repo.find(id, owner);
            if (found.isEmpty() || !found.get().status().isFinal()) return false;
            JobRecord job = found.get();
            if (!repo.delete(id, EnumSet.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED))) return false;
            blobs.deletePrefix(BlobKey.resultPrefix(id));
            if (job.uploadKey() != null) blobs.delete(BlobKey.of(job.uploadKey()));
            log.info("job {} ({}) deleted with its files", id, job.status().code());
            return true;
        } catch (SQLException e) {
            throw new JobDatabaseException("could not delete the job: " + e.getMessage(), e);
        }
    }

    /**
     * A job's uploaded file, as long as it is kept ({@code UPLOAD_RETENTION_DAYS}; a cancelled job's is
     * deleted at once).
     *
     * @return the file's content and size (the caller closes it); empty when there is no such job
     *         {@code owner} may see, or its upload is gone
     */
    public Optional<StoredFile> openUpload(UUID id, Optional<String> owner) throws IOException {
        Optional<JobRecord> job = find(id, owner);
        if (job.isEmpty() || job.get().uploadKey() == null) return Optional.empty();
        BlobKey key = BlobKey.of(job.get().uploadKey());
        OptionalLong size = blobs.size(key);
        if (size.isEmpty()) return Optional.empty();
        Optional<InputStream> in = blobs.open(key);
        return in.map(s -> new StoredFile(s, size.getAsLong(), job.get().detectedFormat()));
    }

    /**
     * An open stored file.
     *
     * @param content the bytes; the caller closes it
     * @param size    its length in bytes
     * @param format  the format the decoder found in it ({@code mp3}, {@code wav}, …)
     */
    public record StoredFile(InputStream content, long size, String format) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            content.close();
        }
    }

    private void removeFromQueue(UUID id) {
        try {
            scheduler.delete(id, "cancelled");
        } catch (RuntimeException e) {
            // Already picked up or gone: the worker sees the row is cancelled and does nothing.
            log.debug("job {} was not removed from JobRunr's queue: {}", id, e.toString());
        }
    }

    private void deleteQuietly(BlobKey key) {
        try {
            blobs.delete(key);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", key, e.getMessage());
        }
    }

    /**
     * The last path segment, without control characters, at most 255 characters; {@code upload} when nothing is left.
     */
    static String displayName(String name) {
        if (name == null) return "upload";
        String n = name.replaceAll("\\p{Cntrl}", "");
        n = n.substring(Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\')) + 1).strip();
        if (n.codePointCount(0, n.length()) > MAX_DISPLAY_NAME) n =
                n.substring(0, n.offsetByCodePoints(0, MAX_DISPLAY_NAME));
        return n.isEmpty() ? "upload" : n;
    }
}
