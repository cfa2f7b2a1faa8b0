package dev.voxgate.jobs.retention;

/**
 * What one retention run deleted.
 *
 * @param uploads     upload files deleted
 * @param resultFiles transcript files deleted
 * @param jobs        job records deleted
 */
public record RetentionReport(int uploads, int resultFiles, int jobs) {
}
