package dev.voxgate.server.jobs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One row of the {@code jobs} table: what the job API shows.
 *
 * @param fileName display text only (see {@code FileNames}); never a path
 * @param formats  the transcript formats asked for (txt, json, srt, vtt)
 */
public record JobRecord(UUID id, JobStatus status, int progress, String engine, String language, List<String> formats,
                        String fileName, String fileFormat, long sizeBytes, Double audioSeconds,
                        Instant createdAt, Instant startedAt, Instant finishedAt,
                        String errorCode, String errorMessage, int attempts, String uploadKey, String resultPrefix) {
}
