package dev.voxgate.jobs.storage;

import dev.voxgate.jobs.JobsConfigException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where archives, uploads and results are stored, read from environment variables by {@link #fromEnvironment}.
 *
 * @param s3                   empty: a folder under {@code DATA_DIR} ({@link FileSystemBlobStore}); present when
 *                             {@code S3_BUCKET} is set ({@link S3BlobStore}, with a local spool in front)
 * @param spoolMaxBytes        {@code SPOOL_MAX_MB} (default 1024): the most the local spool may hold (sessions being
 *                             recorded and finished files waiting for S3); when full, archiving sessions and uploads
 *                             are refused
 * @param archiveAudio         {@code ARCHIVE_AUDIO} (default false): keep every streaming session's audio
 * @param archiveRetentionDays {@code ARCHIVE_RETENTION_DAYS} (default 30; 0 keeps): archives are deleted after this
 */
public record StorageConfig(Optional<S3Config> s3, long spoolMaxBytes, boolean archiveAudio,
                            int archiveRetentionDays) {

    public static final int DEFAULT_SPOOL_MAX_MB = 1024;

    public StorageConfig {
        if (spoolMaxBytes < 1) throw new JobsConfigException("SPOOL_MAX_MB must be at least 1");
        if (archiveRetentionDays < 0) throw new JobsConfigException(
                "ARCHIVE_RETENTION_DAYS must not be negative (0 keeps archives)");
    }

    /** Local folder, no archive, defaults elsewhere. */
    public static StorageConfig defaults() {
        return new StorageConfig(Optional.empty(), DEFAULT_SPOOL_MAX_MB * 1024L * 1024L, false, 30);
    }

    public StorageConfig withS3(S3Config c) {
        return new StorageConfig(Optional.of(c), spoolMaxBytes, archiveAudio, archiveRetentionDays);
    }

    public StorageConfig withArchiveAudio(boolean on) {
        return new StorageConfig(s3, spoolMaxBytes, on, archiveRetentionDays);
    }

    public StorageConfig withSpoolMaxBytes(long bytes) {
        return new StorageConfig(s3, bytes, archiveAudio, archiveRetentionDays);
    }

    /**
     * S3 settings. Credentials come from the AWS SDK's default chain (environment, profile, container or instance
     * role), never from here.
     *
     * @param bucket     {@code S3_BUCKET}
     * @param prefix     {@code S3_PREFIX}: put before every key (e.g. {@code voxgate/}); empty by default
     * @param endpoint   {@code S3_ENDPOINT}: an S3-compatible server (MinIO, s3proxy, …); empty for AWS
     * @param pathStyle  {@code S3_PATH_STYLE} (default false; most S3-compatible servers need true)
     * @param region     {@code AWS_REGION} (default {@code us-east-1})
     * @param sse        {@code S3_SSE}: server-side encryption, {@code AES256} or {@code aws:kms}; empty for none
     * @param sseKmsKeyId {@code S3_SSE_KMS_KEY_ID}: the KMS key for {@code aws:kms}; empty for the bucket's default
     */
    public record S3Config(String bucket, String prefix, Optional<URI> endpoint, boolean pathStyle, String region,
                           Optional<String> sse, Optional<String> sseKmsKeyId) {
        public S3Config {
            if (bucket == null || bucket.length() < 3 || bucket.length() > 63
                    || !bucket.matches("[a-z0-9][a-z0-9.-]*[a-z0-9]")) {
                throw new JobsConfigException("S3_BUCKET must be a bucket name of 3 to 63 lower-case letters, digits,"
                        + " '.' and '-', not '" + bucket + "'");
            }
            prefix = prefix == null ? "" : prefix;
            if (!prefix.isEmpty()) {
                if (!prefix.endsWith("/")) prefix = prefix + "/";
                try {
                    BlobKey.checkPrefix(prefix);
                } catch (IllegalArgumentException e) {
                    throw new JobsConfigException("S3_PREFIX is not usable: " + e.getMessage());
                }
            }
        }

        public static S3Config of(String bucket, URI endpoint) {
            return new S3Config(bucket, "", Optional.ofNullable(endpoint), endpoint != null, "us-east-1",
                    Optional.empty(), Optional.empty());
        }

        public S3Config withPrefix(String p) {
            return new S3Config(bucket, p, endpoint, pathStyle, region, sse, sseKmsKeyId);
        }
    }

    /**
     * Reads the settings; unset or blank variables take their defaults.
     *
     * @throws JobsConfigException naming the variable, its value and what it accepts
     */
    public static StorageConfig fromEnvironment(Map<String, String> env) {
        Optional<S3Config> s3 = Optional.empty();
        String bucket = get(env, "S3_BUCKET");
        if (bucket != null) {
            Optional<URI> endpoint = Optional.empty();
            String e = get(env, "S3_ENDPOINT");
            if (e != null) {
                try {
                    URI u = new URI(e);
                    if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                        throw new URISyntaxException(e, "not an http(s) URL with a host");
                    }
                    endpoint = Optional.of(u);
                } catch (URISyntaxException ex) {
                    throw new JobsConfigException("S3_ENDPOINT must be an http(s) URL such as http://minio:9000, not '"
                            + e + "'");
                }
            }
            Optional<String> sse = Optional.ofNullable(get(env, "S3_SSE"));
            if (sse.isPresent() && !sse.get().equals("AES256") && !sse.get().equals("aws:kms")) {
                throw new JobsConfigException("S3_SSE must be AES256 or aws:kms, not '" + sse.get() + "'");
            }
            String region = get(env, "AWS_REGION");
            s3 = Optional.of(new S3Config(bucket, get(env, "S3_PREFIX"), endpoint,
                    bool(env, "S3_PATH_STYLE", false), region == null ? "us-east-1" : region, sse,
                    Optional.ofNullable(get(env, "S3_SSE_KMS_KEY_ID"))));
        }
        return new StorageConfig(s3, integer(env, "SPOOL_MAX_MB", DEFAULT_SPOOL_MAX_MB, 1, 10_000_000) * 1024L * 1024L,
                bool(env, "ARCHIVE_AUDIO", false), integer(env, "ARCHIVE_RETENTION_DAYS", 30, 0, 36_500));
    }

    private static String get(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static boolean bool(Map<String, String> env, String name, boolean dflt) {
        String v = get(env, name);
        if (v == null) return dflt;
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new JobsConfigException(name + " must be true or false, not '" + v + "'");
        };
    }

    private static int integer(Map<String, String> env, String name, int dflt, int min, int max) {
        String v = get(env, name);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new JobsConfigException(name + " must be a whole number from " + min + " to " + max + ", not '" + v
                + "'");
    }
}
