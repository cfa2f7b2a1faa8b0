/**
 * The batch job API over {@code voxgate-jobs}: {@link dev.voxgate.server.jobs.JobRoutes} takes uploads as jobs,
 * lists, shows and cancels them, and serves their transcripts. The queue, storage and worker live in
 * {@code voxgate-jobs}; the transcription itself is {@code files}.
 */
package dev.voxgate.server.jobs;
