package dev.voxgate.jobs.retention;

/**
 * What one retention run deleted.
 *
 * @param uploads      upload files deleted
 * @param resultFiles  transcript files deleted
 * @param jobs         job records deleted
 * @param archiveFiles session archive files deleted (audio, sidecars, index entries)
 */
public record RetentionReport(int uploads, int resultFiles, int jobs, int archiveFiles) {
    public RetentionReport(int uploads, int resultFiles, int jobs) {
        this(uploads, resultFiles, jobs, 0);
    }
}
