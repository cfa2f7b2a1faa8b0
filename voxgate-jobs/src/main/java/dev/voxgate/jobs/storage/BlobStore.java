package dev.voxgate.jobs.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where uploads and results live: a folder by default ({@link FileSystemBlobStore}), an S3 bucket
 * later. Callers name objects with {@link BlobKey}s only, read through streams or a
 * {@link LocalBlob}, and never assume a key is a path, so another store slots in unchanged.
 *
 * <p>Writes are atomic: a reader sees the whole object or none. All methods are thread-safe; a key
 * written by two callers at once ends up with one of the two contents.
 */
public interface BlobStore {

    /**
     * Stores the file's content under {@code key}, replacing what was there, and takes the file
     * away: moved when store and file share a file system, else copied and then deleted.
     */
    void putFile(BlobKey key, Path source) throws IOException;

    /** Stores everything the stream gives under {@code key}; the caller closes the stream. */
    void put(BlobKey key, InputStream content) throws IOException;

    /** Reads an object; empty when there is none. The caller closes the stream. */
    Optional<InputStream> open(BlobKey key) throws IOException;

    /**
     * The object as a local file for code that needs a path (a decoder). Close the handle when done:
     * a remote store deletes its downloaded copy then; the local store hands out its own file.
     *
     * @throws NoSuchFileException when there is no such object
     */
    LocalBlob openLocal(BlobKey key) throws IOException;

    /** The object's size in bytes; empty when there is none. */
    OptionalLong size(BlobKey key) throws IOException;

    /** Deletes an object; false when there was none. */
    boolean delete(BlobKey key) throws IOException;

    /**
     * Deletes every object under {@code prefix} (see {@link BlobKey#checkPrefix}).
     *
     * @return how many objects were deleted
     */
    int deletePrefix(String prefix) throws IOException;

    /**
     * The keys under {@code prefix} stored before {@code cutoff}, for retention. The time is when the
     * store received the object (its last-modified time), not the time of the job.
     */
    List<BlobKey> listOlderThan(String prefix, Instant cutoff) throws IOException;

    /** A readable local file holding an object's content, valid until closed. */
    interface LocalBlob extends AutoCloseable {
        Path path();

        @Override
        void close() throws IOException;
    }
}
