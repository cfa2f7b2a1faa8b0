/**
 * Durable batch transcription: {@link dev.voxgate.jobs.JobsBackend} (start/close),
 * {@link dev.voxgate.jobs.TranscriptionJobs} (submit, find, list, cancel, results) and the
 * {@link dev.voxgate.jobs.FileTranscriber} the server supplies. No HTTP here: the server wraps it.
 *
 * <p>Sub-packages by role: {@code storage} (blob store), {@code db} (database, {@code jobs} table),
 * {@code queue} (JobRunr jobs and worker), {@code retention} (clean-up).
 */
package dev.voxgate.jobs;
