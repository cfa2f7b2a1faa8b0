/**
 * The one file-transcription service: {@link dev.voxgate.server.files.FileTranscription} probes, checks
 * ({@link dev.voxgate.server.files.FileLimits}) and decodes a whole file on a bounded pool, for the OpenAI route,
 * the job worker and {@code voxgate transcribe}. {@link dev.voxgate.server.files.JobTranscriber} is its face
 * towards {@code voxgate-jobs}; {@link dev.voxgate.server.files.ClientGone} stops the work of a client that left.
 */
package dev.voxgate.server.files;
