package dev.voxgate.server.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where uploads and transcripts live, by keys the server makes up ({@code uploads/<job>/audio},
 * {@code results/<job>/transcript.srt}). A local folder today; an S3 bucket can stand in later
 * without callers changing.
 */
public interface BlobStore {
    /** Moves a local file in under {@code key}. */
    void putFile(String key, Path file) throws IOException;

    void putBytes(String key, byte[] content) throws IOException;

    Optional<InputStream> open(String key) throws IOException;

    /**
     * A local file with the blob's content for code that needs a path (the decoder), or the blob
     * itself when the store is local. The caller must not modify it.
     */
    Path localCopy(String key) throws IOException;

    /** Deletes the key and everything under it as a prefix; missing keys are fine. */
    void deletePrefix(String prefix) throws IOException;
}
