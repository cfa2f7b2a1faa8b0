package dev.voxgate.jobs.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The storage of one server process, built once at start-up: the {@link BlobStore} that archives, uploads and
 * results go to (a folder under {@code DATA_DIR}, or S3 with a spool in front), and the local {@link Spool}.
 */
public final class Storage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Storage.class);

    private final BlobStore blobs;
    private final Spool spool;
    private final SpoolingBlobStore spooling;
    private final String description;
    private final StorageConfig config;

    private Storage(BlobStore blobs, Spool spool, SpoolingBlobStore spooling, String description,
                    StorageConfig config) {
        this.blobs = blobs;
        this.spool = spool;
        this.spooling = spooling;
        this.description = description;
        this.config = config;
    }

    /**
     * Opens the configured store. With S3 the bucket is checked once; when S3 does not answer the server still starts
     * (files are spooled), and the log says so.
     *
     * @param dataDir   {@code DATA_DIR}: {@code blobs/} (local store) and {@code spool/} live there
     * @param retryLoop whether the spool's retry loop runs in the background (tests may drive it)
     */
    public static Storage open(Path dataDir, StorageConfig config, Clock clock, boolean retryLoop)
            throws IOException {
        Spool spool;
        try {
            spool = new Spool(dataDir.resolve("spool"), config.spoolMaxBytes());
        } catch (IOException e) {
            throw new IOException("DATA_DIR=" + dataDir + " is not usable: cannot create its spool folder ("
                    + e.getMessage() + ")", e);
        }
        if (config.s3().isEmpty()) {
            FileSystemBlobStore local;
            try {
                local = new FileSystemBlobStore(dataDir.resolve("blobs"), clock);
            } catch (IOException e) {
                throw new IOException("DATA_DIR=" + dataDir + " is not usable: cannot create "
                        + dataDir.resolve("blobs") + " (" + e.getMessage() + ")", e);
            }
            return new Storage(local, spool, null, "local folder " + local.root(), config);
        }
        // Downloads for jobs live outside the spool: they are not waiting for S3 and must not fill it.
        S3BlobStore s3 = S3BlobStore.create(config.s3().get(), dataDir.resolve("s3-tmp"));
        try {
            s3.checkBucket();
        } catch (StorageUnavailableException e) {
            log.warn("storage: {} (files are spooled in {} until it answers)", e.getMessage(), spool.pending());
        }
        return of(s3, s3.description(), spool, clock, retryLoop, config);
    }

    /** With a remote store made by the caller (tests: S3 with static credentials). */
    public static Storage of(BlobStore remote, String description, Spool spool, Clock clock, boolean retryLoop,
                             StorageConfig config) {
        SpoolingBlobStore spooling = new SpoolingBlobStore(remote, spool, clock, retryLoop);
        return new Storage(spooling, spool, spooling, description, config);
    }

    /** Where archives, uploads and results go. */
    public BlobStore blobs() {
        return blobs;
    }

    public Spool spool() {
        return spool;
    }

    public StorageConfig config() {
        return config;
    }

    /** The spooling front of a remote store; empty for the local folder. */
    public Optional<SpoolingBlobStore> remote() {
        return Optional.ofNullable(spooling);
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (spooling != null) spooling.close();
    }
}
