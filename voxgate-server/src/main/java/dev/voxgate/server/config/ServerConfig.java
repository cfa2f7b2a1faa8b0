package dev.voxgate.server.config;

import dev.voxgate.jobs.JobsConfig;
import dev.voxgate.jobs.JobsConfigException;
import dev.voxgate.jobs.storage.StorageConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Everything the server is told at start-up, validated once. Names follow the deployments that
 * came before Voxgate ({@code PORT}, {@code CONNECTION_TIMEOUT_MS}, …); README's configuration
 * table lists each with its default.
 *
 * @param jobs           the batch job back end's settings ({@code DATA_DIR}, {@code DATABASE_URL},
 *                       {@code WORKER_CONCURRENCY}, {@code JOB_*}, {@code *_RETENTION_DAYS},
 *                       {@code JOBS_DASHBOARD_PORT}), read by {@code voxgate-jobs} from the same settings
 * @param storage        where archives, uploads and results go and the session archive ({@code S3_*},
 *                       {@code SPOOL_MAX_MB}, {@code ARCHIVE_AUDIO}, {@code ARCHIVE_RETENTION_DAYS}), read by
 *                       {@code voxgate-jobs} from the same settings
 * @param security       who may use the server and how much ({@code API_KEYS_FILE}, {@code ALLOWED_ORIGINS},
 *                       rate limits, …)
 * @param engineSettings all settings, passed on to engine providers (which read their own names)
 */
public record ServerConfig(
        String host,
        int port,
        String logLevel,
        String logFormat,
        String defaultEngine,
        Duration connectionTimeout,
        Duration inactivityTimeout,
        Duration transcribeTimeout,
        int maxSessions,
        int maxFrameBytes,
        int decoderThreads,
        Duration shutdownGrace,
        Path cacheDir,
        UploadConfig uploads,
        JobsConfig jobs,
        StorageConfig storage,
        SecurityConfig security,
        Settings engineSettings) {

    public static final int CORES = Runtime.getRuntime().availableProcessors();

    public static ServerConfig from(Settings s) {
        JobsConfig jobs = jobs(s);
        int maxSessions = s.integer("MAX_SESSIONS", defaultMaxSessions(), 1, 100_000);
        return new ServerConfig(
                s.string("HOST", "0.0.0.0"),
                s.integer("PORT", 8080, 0, 65535),
                s.choice("LOG_LEVEL", "info", Set.of("trace", "debug", "info", "warn", "error")),
                s.choice("LOG_FORMAT", "text", Set.of("text", "json")),
                s.string("ENGINE", "vosk").toLowerCase(Locale.ROOT),
                s.millis("CONNECTION_TIMEOUT_MS", Duration.ofHours(1), 100),
                s.millis("INACTIVITY_TIMEOUT_MS", Duration.ofSeconds(30), 100),
                s.millis("TRANSCRIBE_TIMEOUT_MS", Duration.ofSeconds(10), 100),
                maxSessions,
                s.integer("MAX_FRAME_BYTES", 256 * 1024, 2, 16 * 1024 * 1024),
                s.integer("DECODER_THREADS", CORES, 1, 1024),
                s.millis("SHUTDOWN_GRACE_MS", Duration.ofSeconds(10), 0),
                Path.of(s.string("VOXGATE_CACHE_DIR", defaultCacheDir())),
                UploadConfig.from(s, jobs.dataDir()),
                jobs,
                storage(s),
                SecurityConfig.from(s, maxSessions),
                s);
    }

    /** voxgate-jobs reads its own variables; its complaints stop start-up like the server's own. */
    private static JobsConfig jobs(Settings s) {
        try {
            return JobsConfig.fromEnvironment(s.asMap());
        } catch (JobsConfigException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static StorageConfig storage(Settings s) {
        try {
            return StorageConfig.fromEnvironment(s.asMap());
        } catch (JobsConfigException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * Vosk small decodes at about 0.2 × real time per core, so each core carries about four real-time
     * streams with headroom; the benchmark measures the real figure for a machine.
     */
    static int defaultMaxSessions() {
        return Math.max(4, CORES * 4);
    }

    /** {@code VOXGATE_CACHE_DIR}'s default: {@code $XDG_CACHE_HOME/voxgate}, else {@code ~/.cache/voxgate}. */
    public static String defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("voxgate").toString();
    }
}
