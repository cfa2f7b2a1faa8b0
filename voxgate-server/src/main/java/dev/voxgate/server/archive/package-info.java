/**
 * The session archive ({@code ARCHIVE_AUDIO}): each streaming session's audio as the engine received it, as a WAV
 * with a JSON sidecar, kept in the server's storage (a folder or S3) and served to the key that made it.
 */
package dev.voxgate.server.archive;
