package dev.voxgate.jobs.support;

import dev.voxgate.jobs.storage.StorageConfig;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real S3 server in this JVM: s3proxy on a folder (its filesystem back end), on a free loopback port, with
 * AWS signatures checked against {@link #ACCESS_KEY}/{@link #SECRET_KEY}. {@link #stop} and {@link #start} make S3
 * go away and come back on the same port with the same objects, as an outage would.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "voxgate-test";
    public static final String SECRET_KEY = "voxgate-test-secret";

    private final String bucket;
    private final BlobStore store;
    private S3Proxy proxy;
    private int port;

    private S3ProxyServer(Path dir, String bucket) {
        this.bucket = bucket;
        // Must be absolute, or listings come back empty (the team's dependency notes).
        this.store = new FilesystemNio2BlobStore(dir.toAbsolutePath().toString());
        store.createContainer(bucket);
    }

    /** Starts on a free port with an empty bucket {@code bucket} (at least 3 characters) kept in {@code dir}. */
    public static S3ProxyServer start(Path dir, String bucket) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        S3ProxyServer s = new S3ProxyServer(dir, bucket);
        s.startOn(0);
        return s;
    }

    /** Starts again on the port it had (after {@link #stop}). */
    public synchronized void start() {
        if (proxy == null) startOn(port);
    }

    /** Stops answering: connections to its port are refused until {@link #start}. */
    public synchronized void stop() {
        if (proxy == null) return;
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping s3proxy", e);
        }
        proxy = null;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String bucket() {
        return bucket;
    }

    public AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /** Path-style settings for this server. */
    public StorageConfig.S3Config config(String prefix) {
        return StorageConfig.S3Config.of(bucket, endpoint()).withPrefix(prefix);
    }

    /** Whether the bucket holds the object (the S3 key, prefix included), as the server itself sees it. */
    public boolean holds(String objectKey) {
        return store.blobExists(bucket, objectKey);
    }

    /** The keys of the objects under {@code prefix}, as the server itself lists them. */
    public List<String> keys(String prefix) {
        return store.list(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build()).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    /** The environment a server process would be given for this S3 (the credentials go as system properties). */
    public Map<String, String> environment(String prefix) {
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        return Map.of("S3_BUCKET", bucket, "S3_ENDPOINT", endpoint().toString(), "S3_PATH_STYLE", "true",
                "S3_PREFIX", prefix, "AWS_REGION", "us-east-1");
    }

    private void startOn(int wanted) {
        S3Proxy p = S3Proxy.builder()
                .blobStore(store)
                .stopTimeout(0) // an outage: connections are cut, not drained
                .endpoint(URI.create("http://127.0.0.1:" + wanted))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            p.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!"STARTED".equals(p.getState())) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("s3proxy did not start");
                Thread.sleep(5);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("starting s3proxy", e);
        }
        proxy = p;
        port = p.getPort();
    }

    @Override
    public synchronized void close() {
        stop();
        store.close();
    }
}
