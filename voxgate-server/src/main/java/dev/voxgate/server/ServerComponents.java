package dev.voxgate.server;

import dev.voxgate.audio.decode.AudioFileDecoder;
import dev.voxgate.jobs.JobsBackend;
import dev.voxgate.jobs.storage.SpoolingBlobStore;
import dev.voxgate.jobs.storage.Storage;
import dev.voxgate.server.archive.SessionArchive;
import dev.voxgate.server.config.ServerConfig;
import dev.voxgate.server.config.ConfigException;
import dev.voxgate.server.config.Settings;
import dev.voxgate.server.engine.EngineFallback;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.server.engine.EngineStatus;
import dev.voxgate.server.engine.EngineSelector;
import dev.voxgate.server.files.FileLimits;
import dev.voxgate.server.files.FileTranscription;
import dev.voxgate.server.files.JobTranscriber;
import dev.voxgate.server.guard.Guard;
import dev.voxgate.server.logging.LoggingSessionEvents;
import dev.voxgate.server.metrics.JobQueueMetrics;
import dev.voxgate.server.metrics.MicrometerEngineEvents;
import dev.voxgate.server.metrics.MicrometerFileEvents;
import dev.voxgate.server.metrics.MicrometerSessionEvents;
import dev.voxgate.server.session.Admission;
import dev.voxgate.server.session.DecoderPool;
import dev.voxgate.server.session.SessionEvents;
import dev.voxgate.server.session.SessionLimits;
import dev.voxgate.server.session.SessionManager;
import dev.voxgate.server.session.Ticker;
import dev.voxgate.server.upload.UploadReceiver;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The composition root: every part of the server built once from its configuration, in one place,
 * and handed to {@link ServerRoutes} and {@link VoxgateServer}. Time comes in from here ({@code ticker}
 * for session deadlines and the shutdown drain, {@code clock} for job times), so tests can own it.
 *
 * @param storage where archives, uploads and results go (a folder under {@code DATA_DIR}, or S3 with a local spool)
 * @param archive the session archive ({@code ARCHIVE_AUDIO}); also serves archives when recording is off
 * @param jobs the durable job queue, or empty for a server that only streams and transcribes
 *             synchronously (protocol tests; then {@code /api/jobs} does not exist)
 */
public record ServerComponents(
        ServerConfig config,
        EngineRegistry engines,
        PrometheusMeterRegistry metrics,
        DecoderPool decoders,
        EngineSelector selector,
        SessionManager sessions,
        FileTranscription files,
        UploadReceiver uploads,
        Guard guard,
        Storage storage,
        SessionArchive archive,
        Optional<JobsBackend> jobs) {

    private static final Logger log = LoggerFactory.getLogger(ServerComponents.class);

    /** Which optional parts to build. */
    public enum Jobs { WITH_JOBS, WITHOUT_JOBS }

    /** Everything, as {@code voxgate serve} runs it. */
    public static ServerComponents create(ServerConfig config, EngineRegistry engines) {
        return create(config, engines, Ticker.SYSTEM, Clock.systemUTC(), Jobs.WITH_JOBS);
    }

    public static ServerComponents create(ServerConfig config, EngineRegistry engines, Ticker ticker, Clock clock,
            Jobs jobs) {
        Guard guard = Guard.create(config.security(), ticker);
        PrometheusMeterRegistry metrics = newMeterRegistry();
        Storage storage;
        try {
            storage = Storage.open(config.jobs().dataDir(), config.storage(), clock, true);
        } catch (IOException e) {
            guard.close();
            throw new UncheckedIOException("cannot set up storage: " + e.getMessage(), e);
        }
        SessionArchive archive = new SessionArchive(config.storage().archiveAudio(), storage.blobs(), storage.spool(),
                clock);
        archive.recover();
        storageMetrics(metrics, storage, archive);
        DecoderPool decoders = new DecoderPool(config.decoderThreads());
        SessionLimits limits = new SessionLimits(config.connectionTimeout(), config.inactivityTimeout(),
                config.transcribeTimeout(), config.maxFrameBytes());
        SessionEvents events = SessionEvents.of(List.of(new MicrometerSessionEvents(metrics),
                new LoggingSessionEvents()));
        EngineSelector selector = new EngineSelector(engines, fallback(config, engines, clock, metrics));
        SessionManager sessions = new SessionManager(selector, limits, new Admission(config.maxSessions(),
                config.security().maxSessionsPerKey()), decoders,
                ticker, events, () -> UUID.randomUUID().toString(), archive);
        Optional<AudioFileDecoder> decoder = AudioFileDecoder.installed();
        if (decoder.isEmpty()) {
            log.warn("no audio file decoder installed: file transcription endpoints will answer 503");
        }
        FileTranscription files = new FileTranscription(decoder, new FileLimits(config.uploads().allowedFormats(),
                config.uploads().maxAudioMinutes() * 60.0), config.decoderThreads(), new MicrometerFileEvents(metrics));
        Gauge.builder("voxgate.file.work.active", files, FileTranscription::active)
                .description("Files being probed or decoded now, on the voxgate-file-N threads").register(metrics);
        UploadReceiver uploads = new UploadReceiver(config.uploads());
        Optional<JobsBackend> backend = Optional.empty();
        if (jobs == Jobs.WITH_JOBS) {
            try {
                backend = Optional.of(JobsBackend.start(config.jobs(), storage.blobs(),
                        config.storage().archiveRetentionDays(), new JobTranscriber(selector, files), clock));
            } catch (IOException e) {
                files.close();
                uploads.close();
                guard.close();
                sessions.close();
                decoders.close();
                archive.close(5);
                storage.close();
                throw new UncheckedIOException("cannot set up batch jobs: " + e.getMessage(), e);
            }
        }
        backend.ifPresent(b -> JobQueueMetrics.register(metrics, b.jobs(), clock));
        return new ServerComponents(config, engines, metrics, decoders, selector, sessions, files, uploads, guard,
                storage, archive, backend);
    }

    /** Spool size, upload failures and the archive's counts, from the storage's own counters (no static state). */
    private static void storageMetrics(PrometheusMeterRegistry metrics, Storage storage, SessionArchive archive) {
        Gauge.builder("voxgate.storage.spool.bytes", storage.spool(), s -> s.usedBytes())
                .description("Bytes in the local spool: sessions being recorded and files waiting for S3")
                .baseUnit("bytes").register(metrics);
        Gauge.builder("voxgate.storage.spool.max.bytes", storage.spool(), s -> s.maxBytes())
                .description("SPOOL_MAX_MB in bytes").baseUnit("bytes").register(metrics);
        storage.remote().ifPresent(r -> {
            Gauge.builder("voxgate.storage.spool.files", r, SpoolingBlobStore::pendingCount)
                    .description("Files in the spool waiting for S3").register(metrics);
            FunctionCounter.builder("voxgate.storage.upload.failures", r, SpoolingBlobStore::uploadFailures)
                    .description("Attempts to store a file in S3 that failed (the file was spooled or kept)")
                    .register(metrics);
            FunctionCounter.builder("voxgate.storage.spool.uploaded", r, SpoolingBlobStore::uploadedFromSpool)
                    .description("Spooled files uploaded to S3 by the retry loop").register(metrics);
            Gauge.builder("voxgate.storage.remote.up", r, s -> s.state() == SpoolingBlobStore.State.UP ? 1 : 0)
                    .description("1 while S3 takes files, 0 while files are spooled").register(metrics);
        });
        FunctionCounter.builder("voxgate.archive.sessions", archive, SessionArchive::archivedSessions)
                .description("Streaming sessions archived (ARCHIVE_AUDIO)").register(metrics);
        FunctionCounter.builder("voxgate.archive.failures", archive, SessionArchive::failedArchives)
                .description("Session archives that could not be written or stored (kept in the spool)")
                .register(metrics);
        FunctionCounter.builder("voxgate.archive.dropped", archive, SessionArchive::droppedBytes)
                .description("Audio bytes left out of archives because the writer fell behind").baseUnit("bytes")
                .register(metrics);
        Gauge.builder("voxgate.archive.recording", archive, SessionArchive::recordingSessions)
                .description("Sessions being recorded now").register(metrics);
    }

    /**
     * {@code ENGINE_FALLBACK} (the registry's, else the settings'), checked against the installed engines, with its
     * circuit breakers' cool-off {@code ENGINE_COOLOFF_MS} on {@code clock}.
     */
    static EngineFallback fallback(ServerConfig config, EngineRegistry engines, Clock clock,
            PrometheusMeterRegistry metrics) {
        Settings s = config.engineSettings();
        List<String> chain = !engines.fallback().isEmpty() ? engines.fallback()
                : EngineRegistry.parseFallback(s.string("ENGINE_FALLBACK", ""));
        for (String id : chain) {
            if (engines.status(id).isPresent()) continue;
            String missing = engines.unconfigured().get(id);
            throw new ConfigException("ENGINE_FALLBACK names '" + id + "', "
                    + (missing != null ? "which is installed but not configured (" + missing + " not set)"
                    : "which is not an installed engine; installed: "
                            + engines.all().stream().map(EngineStatus::id).toList()));
        }
        Duration coolOff = s.millis("ENGINE_COOLOFF_MS", EngineFallback.DEFAULT_COOLOFF, 100);
        return new EngineFallback(engines, chain, coolOff, clock, new MicrometerEngineEvents(metrics));
    }

    private static PrometheusMeterRegistry newMeterRegistry() {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ClassLoaderMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        // The Prometheus client's process collector, not Micrometer's uptime binder: it gives the names operators'
        // dashboards expect (process_resident_memory_bytes, process_open_fds, process_start_time_seconds, …).
        ProcessMetrics.builder().register(metrics.getPrometheusRegistry());
        return metrics;
    }

    /**
     * Stops admitting streams and lets open ones finish (up to {@code SHUTDOWN_GRACE_MS}); then stops the job workers
     * and file work.
     */
    void drain() {
        sessions.drain(config.shutdownGrace());
        jobs.ifPresent(JobsBackend::close);
        files.close();
        archive.close(); // the drained sessions' archives are written and stored (or spooled) first
        storage.close();
    }

    /** Releases what is left once the HTTP server has stopped. */
    void release() {
        uploads.close();
        sessions.close();
        decoders.close();
        engines.close();
        guard.close();
        metrics.close();
    }
}
