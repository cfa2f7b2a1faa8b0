/**
 * The queue: JobRunr jobs that carry only a job id ({@link dev.voxgate.jobs.queue.TranscribeJob}),
 * the worker that runs an attempt ({@link dev.voxgate.jobs.queue.TranscriptionWorker}), result
 * rendering, and the loopback-only dashboard. Used through {@link dev.voxgate.jobs.JobsBackend}.
 */
package dev.voxgate.jobs.queue;
