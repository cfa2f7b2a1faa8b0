package dev.voxgate.jobs.storage;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A {@link BlobStore} in an S3 bucket (AWS or any S3-compatible server): key {@code k} is the object
 * {@code S3_PREFIX + k}. A put is one {@code PutObject}, which S3 makes visible whole or not at all.
 * Failures of S3 (unreachable, refused, throttled) come out as {@link StorageUnavailableException}, an
 * {@link IOException}, so a {@link SpoolingBlobStore} in front can keep the file and retry.
 *
 * <p>An object's stored time, for {@link #listOlderThan}, is S3's {@code LastModified}: the S3 server's
 * clock, not the injected one.
 *
 * <p>Thread-safe: the SDK client is shared by all callers.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {
    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final StorageConfig.S3Config config;
    private final Path tmp;

    /**
     * @param credentials the AWS SDK's default chain in production ({@link #create}); tests pass static ones
     * @param tmp         a local folder for downloads handed out by {@link #openLocal} and for staging streams
     */
    public S3BlobStore(StorageConfig.S3Config config, AwsCredentialsProvider credentials, Path tmp)
            throws IOException {
        this.config = config;
        this.tmp = Files.createDirectories(tmp);
        S3ClientBuilder b = S3Client.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(config.pathStyle())
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                // Only the checksums S3 requires: S3-compatible servers do not all know the newer default ones.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMinutes(10)));
        config.endpoint().ifPresent(b::endpointOverride);
        this.s3 = b.build();
    }

    /** With credentials from the AWS SDK's default chain (environment, profile, container or instance role). */
    public static S3BlobStore create(StorageConfig.S3Config config, Path tmp) throws IOException {
        return new S3BlobStore(config, DefaultCredentialsProvider.builder().build(), tmp);
    }

    /** What the operator should see in logs: {@code s3://bucket/prefix}. */
    public String description() {
        return "s3://" + config.bucket() + "/" + config.prefix()
                + config.endpoint().map(e -> " at " + e).orElse("");
    }

    /**
     * Asks S3 whether the bucket is there and usable with these credentials.
     *
     * @throws StorageUnavailableException when it is not, saying why
     */
    public void checkBucket() throws StorageUnavailableException {
        try {
            s3.headBucket(r -> r.bucket(config.bucket()));
        } catch (NoSuchBucketException e) {
            throw new StorageUnavailableException("S3_BUCKET=" + config.bucket() + " does not exist", e);
        } catch (SdkException e) {
            throw unavailable("checking the bucket", e);
        }
    }

    @Override
    public void putFile(BlobKey key, Path source) throws IOException {
        try {
            s3.putObject(putRequest(key), RequestBody.fromFile(source));
        } catch (SdkException e) {
            throw unavailable("storing " + key, e);
        }
        Files.deleteIfExists(source);
    }

    @Override
    public void put(BlobKey key, InputStream content) throws IOException {
        // S3 wants the length first: stage locally (results are small; files go through putFile).
        Path staged = tmp.resolve(UUID.randomUUID() + ".part");
        try {
            Files.copy(content, staged, StandardCopyOption.REPLACE_EXISTING);
            s3.putObject(putRequest(key), RequestBody.fromFile(staged));
        } catch (SdkException e) {
            throw unavailable("storing " + key, e);
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    @Override
    public Optional<InputStream> open(BlobKey key) throws IOException {
        try {
            return Optional.of(s3.getObject(get(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw unavailable("reading " + key, e);
        }
    }

    @Override
    public LocalBlob openLocal(BlobKey key) throws IOException {
        Path copy = tmp.resolve(UUID.randomUUID() + "-" + key.fileName());
        try {
            s3.getObject(get(key), ResponseTransformer.toFile(copy));
        } catch (NoSuchKeyException e) {
            Files.deleteIfExists(copy);
            throw new NoSuchFileException(key.value());
        } catch (SdkException e) {
            Files.deleteIfExists(copy);
            throw unavailable("reading " + key, e);
        }
        return new LocalBlob() {
            @Override
            public Path path() {
                return copy;
            }

            @Override
            public void close() throws IOException {
                Files.deleteIfExists(copy);
            }
        };
    }

    @Override
    public OptionalLong size(BlobKey key) throws IOException {
        return head(key).map(h -> OptionalLong.of(h.contentLength())).orElse(OptionalLong.empty());
    }

    @Override
    public boolean delete(BlobKey key) throws IOException {
        if (head(key).isEmpty()) return false;
        try {
            s3.deleteObject(r -> r.bucket(config.bucket()).key(objectKey(key)));
            return true;
        } catch (SdkException e) {
            throw unavailable("deleting " + key, e);
        }
    }

    @Override
    public int deletePrefix(String prefix) throws IOException {
        BlobKey.checkPrefix(prefix);
        List<ObjectIdentifier> batch = new ArrayList<>();
        int deleted = 0;
        try {
            for (S3Object o : list(prefix)) {
                batch.add(ObjectIdentifier.builder().key(o.key()).build());
                if (batch.size() == DELETE_BATCH) {
                    deleted += deleteBatch(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) deleted += deleteBatch(batch);
        } catch (SdkException e) {
            throw unavailable("deleting " + prefix, e);
        }
        return deleted;
    }

    @Override
    public List<BlobKey> listOlderThan(String prefix, Instant cutoff) throws IOException {
        BlobKey.checkPrefix(prefix);
        List<BlobKey> keys = new ArrayList<>();
        try {
            for (S3Object o : list(prefix)) {
                if (!o.lastModified().isBefore(cutoff)) continue;
                blobKey(o.key()).ifPresent(keys::add);
            }
        } catch (SdkException e) {
            throw unavailable("listing " + prefix, e);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public void close() {
        s3.close();
    }

    private Iterable<S3Object> list(String prefix) {
        return s3.listObjectsV2Paginator(r -> r.bucket(config.bucket()).prefix(config.prefix() + prefix)).contents();
    }

    private int deleteBatch(List<ObjectIdentifier> batch) {
        var answer = s3.deleteObjects(DeleteObjectsRequest.builder().bucket(config.bucket())
                .delete(Delete.builder().objects(List.copyOf(batch)).quiet(false).build()).build());
        return answer.deleted().size();
    }

    private Optional<HeadObjectResponse> head(BlobKey key) throws IOException {
        try {
            return Optional.of(s3.headObject(r -> r.bucket(config.bucket()).key(objectKey(key))));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return Optional.empty();
            throw unavailable("looking up " + key, e);
        } catch (SdkException e) {
            throw unavailable("looking up " + key, e);
        }
    }

    private PutObjectRequest putRequest(BlobKey key) {
        PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(config.bucket()).key(objectKey(key));
        config.sse().ifPresent(s -> b.serverSideEncryption(ServerSideEncryption.fromValue(s)));
        config.sseKmsKeyId().ifPresent(b::ssekmsKeyId);
        return b.build();
    }

    private GetObjectRequest get(BlobKey key) {
        return GetObjectRequest.builder().bucket(config.bucket()).key(objectKey(key)).build();
    }

    private String objectKey(BlobKey key) {
        return config.prefix() + key.value();
    }

    /** The store's key of an object, or empty for an object someone else put under the prefix. */
    private Optional<BlobKey> blobKey(String objectKey) {
        if (!objectKey.startsWith(config.prefix())) return Optional.empty();
        try {
            return Optional.of(BlobKey.of(objectKey.substring(config.prefix().length())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private StorageUnavailableException unavailable(String what, SdkException e) {
        return new StorageUnavailableException("S3 " + description() + " failed " + what + ": " + e.getMessage(), e);
    }
}
