package dev.voxgate.server.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voxgate.api.Segment;
import dev.voxgate.api.Word;
import dev.voxgate.audio.WavWriter;
import dev.voxgate.jobs.storage.BlobKey;
import dev.voxgate.jobs.storage.BlobStore;
import dev.voxgate.jobs.storage.Spool;
import dev.voxgate.jobs.storage.SpoolFullException;
import dev.voxgate.server.error.ApiError;
import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.session.SessionInfo;
import dev.voxgate.server.session.SessionTap;
import dev.voxgate.server.session.SessionTaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Archives streaming sessions ({@code ARCHIVE_AUDIO=true}): each session's audio exactly as its engine received it
 * (PCM16 mono WAV at the engine's rate, after any resampling the session did) at
 * {@code sessions/YYYY/MM/DD/HHMMSS-<sessionId>.wav} (UTC start), a JSON sidecar of the same name ({@code .json}: id,
 * engine, key id when a key authenticated the stream, start and end, rates, outcome, the finals with their times),
 * and an index entry {@code sessions/ids/<sessionId>.json} that finds both from the id.
 *
 * <p>Audio is written as it arrives to {@code DATA_DIR/spool/recording/<id>.wav} with a placeholder header, by one
 * shared writer thread ({@code voxgate-archive-writer}): the decoder thread only queues the chunk (at most
 * {@link #MAX_QUEUED_BYTES} per session; beyond that the sidecar counts the bytes not written, never silently). When
 * the session ends, in whatever way, the header is completed and the files go to the store on a separate thread, so
 * a slow S3 never holds up the writing of other sessions. A server that died mid-session leaves the recording and a
 * small {@code .meta.json}; {@link #recover} completes and stores those at the next start.
 *
 * <p>When the spool is full ({@code SPOOL_MAX_MB}), new sessions are refused with {@code storage_full}.
 */
public final class SessionArchive implements SessionTaps, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionArchive.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Audio a session may have waiting for the writer thread (about 4 minutes at 16 kHz). */
    static final long MAX_QUEUED_BYTES = 8L * 1024 * 1024;
    private static final int HEADER_BYTES = 44;

    private final boolean enabled;
    private final BlobStore blobs;
    private final Spool spool;
    private final Clock clock;
    private final ExecutorService writer;
    private final ExecutorService storer;
    private final AtomicLong archived = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong droppedBytes = new AtomicLong();
    private final AtomicLong recording = new AtomicLong();

    /**
     * @param enabled {@code ARCHIVE_AUDIO}: when false no session is recorded, but archives already stored can still
     *                be read
     */
    public SessionArchive(boolean enabled, BlobStore blobs, Spool spool, Clock clock) {
        this.enabled = enabled;
        this.blobs = blobs;
        this.spool = spool;
        this.clock = clock;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "voxgate-archive-writer");
            t.setDaemon(true);
            return t;
        });
        this.storer = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("voxgate-archive-store-", 0)
                .factory());
    }

    public boolean enabled() {
        return enabled;
    }

    /** Sessions archived and stored since start. */
    public long archivedSessions() {
        return archived.get();
    }

    /** Archives that could not be written or stored (the log says why; the files stay in the spool). */
    public long failedArchives() {
        return failed.get();
    }

    /** Audio bytes not archived because the writer fell {@link #MAX_QUEUED_BYTES} behind (counted in sidecars). */
    public long droppedBytes() {
        return droppedBytes.get();
    }

    /** Sessions being recorded now. */
    public long recordingSessions() {
        return recording.get();
    }

    @Override
    public SessionTap open(SessionInfo info, String caller) throws Refused {
        if (!enabled) return SessionTap.NONE;
        try {
            spool.checkRoom(0);
        } catch (SpoolFullException e) {
            throw new Refused(ApiError.of(ErrorCode.STORAGE_FULL, "this server archives every session"
                    + " (ARCHIVE_AUDIO=true) and " + e.getMessage()));
        }
        if (!BlobKey.isSessionId(info.id())) {
            log.error("session {}: its id cannot name an archive; not archived", info.id());
            return SessionTap.NONE;
        }
        String keyId = caller != null && caller.startsWith("key:") ? caller.substring(4) : null;
        recording.incrementAndGet();
        return new Recorder(info, keyId, clock.instant());
    }

    /** Where an archived session is, and whose it is. */
    public record Entry(String sessionId, BlobKey audio, BlobKey transcript, Optional<String> keyId) {
    }

    /** The archive of a session, when it has ended and been stored (or is waiting in the spool). */
    public Optional<Entry> find(String sessionId) throws IOException {
        if (!BlobKey.isSessionId(sessionId)) return Optional.empty();
        Optional<InputStream> in = blobs.open(BlobKey.sessionIndex(sessionId));
        if (in.isEmpty()) return Optional.empty();
        JsonNode n;
        try (InputStream s = in.get()) {
            n = JSON.readTree(s);
        }
        return Optional.of(new Entry(sessionId, BlobKey.of(n.path("audio").asText()),
                BlobKey.of(n.path("transcript").asText()),
                n.hasNonNull("keyId") ? Optional.of(n.get("keyId").asText()) : Optional.empty()));
    }

    public Optional<InputStream> open(BlobKey key) throws IOException {
        return blobs.open(key);
    }

    /**
     * Completes and stores recordings an earlier run left in the spool (the server stopped mid-session, or the store
     * failed): the WAV's header is fixed from the file's length and the sidecar says {@code "outcome":"interrupted"}.
     *
     * @return how many were stored
     */
    public int recover() {
        List<Path> metas;
        try (Stream<Path> files = Files.list(spool.recording())) {
            metas = files.filter(p -> p.getFileName().toString().endsWith(".meta.json")).toList();
        } catch (IOException e) {
            log.warn("session archive: cannot look for recordings left by an earlier run: {}", e.toString());
            return 0;
        }
        int n = 0;
        for (Path meta : metas) {
            try {
                ObjectNode m = (ObjectNode) JSON.readTree(meta.toFile());
                String id = m.path("sessionId").asText();
                Path wav = spool.recording().resolve(id + ".wav");
                Path sidecar = spool.recording().resolve(id + ".json");
                if (!Files.exists(wav)) {
                    Files.deleteIfExists(meta);
                    Files.deleteIfExists(sidecar);
                    continue;
                }
                if (!Files.exists(sidecar)) {
                    long data;
                    try (FileChannel ch = FileChannel.open(wav, StandardOpenOption.WRITE)) {
                        if (!lockable(ch)) continue; // another server on this DATA_DIR is recording it now
                        data = Math.max(0, ch.size() - HEADER_BYTES) & ~1L;
                        ch.truncate(HEADER_BYTES + data);
                        writeFully(ch, ByteBuffer.wrap(WavWriter.header(m.path("sampleRate").asInt(), 1, data)), 0);
                    }
                    ObjectNode side = m.deepCopy();
                    side.put("outcome", "interrupted");
                    side.putNull("endedAt");
                    side.put("audioBytes", data);
                    side.put("audioSeconds", data / 2.0 / m.path("sampleRate").asInt());
                    side.put("note", "the server stopped before this session ended; its finals were not kept");
                    side.set("finals", JSON.createArrayNode());
                    Files.write(sidecar, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(side));
                }
                store(id, Instant.parse(m.path("startedAt").asText()),
                        m.hasNonNull("keyId") ? m.get("keyId").asText() : null, wav, sidecar, meta);
                n++;
            } catch (IOException | RuntimeException e) {
                failed.incrementAndGet();
                log.error("session archive: cannot recover {}: {}", meta.getFileName(), e.toString());
            }
        }
        if (n > 0) log.info("session archive: stored {} recordings left by an earlier run", n);
        return n;
    }

    /** Lets queued audio be written and finished archives be stored, up to {@code seconds}. */
    @Override
    public void close() {
        close(30);
    }

    public void close(long seconds) {
        writer.shutdown();
        try {
            writer.awaitTermination(seconds, TimeUnit.SECONDS);
            storer.shutdown();
            storer.awaitTermination(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.shutdownNow();
        storer.shutdownNow();
    }

    private void store(String id, Instant startedAt, String keyId, Path wav, Path sidecar, Path meta)
            throws IOException {
        BlobKey audio = BlobKey.sessionAudio(id, startedAt);
        BlobKey transcript = BlobKey.sessionSidecar(id, startedAt);
        blobs.putFile(audio, wav);
        blobs.putFile(transcript, sidecar);
        ObjectNode index = JSON.createObjectNode();
        index.put("sessionId", id);
        index.put("audio", audio.value());
        index.put("transcript", transcript.value());
        if (keyId != null) index.put("keyId", keyId);
        index.put("startedAt", startedAt.toString());
        blobs.put(BlobKey.sessionIndex(id), new ByteArrayInputStream(JSON.writeValueAsBytes(index)));
        Files.deleteIfExists(meta);
        archived.incrementAndGet();
    }

    /** Whether no process holds the recording's lock (a running session's writer does). */
    private static boolean lockable(FileChannel ch) throws IOException {
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) return false;
            lock.release();
            return true;
        } catch (OverlappingFileLockException heldHere) {
            return false;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long pos = position;
        while (b.hasRemaining()) pos += ch.write(b, pos);
    }

    private record Open(int rate) {
    }

    private record End(String outcome, Instant at) {
    }

    private record Final(Segment segment, Instant at) {
    }

    /** One session's recording. Queue and finals guarded by {@code this}; the file is the writer thread's. */
    private final class Recorder implements SessionTap, Runnable {
        private final SessionInfo info;
        private final String keyId;
        private final Instant startedAt;
        private final Path wav;
        private final Path meta;
        private final ArrayDeque<Object> ops = new ArrayDeque<>();
        private final List<Final> finals = new ArrayList<>();
        private long queuedBytes;
        private long dropped;
        private boolean scheduled;
        private boolean ended;
        // writer thread only
        private FileChannel ch;
        private int rate;
        private long dataBytes;
        private boolean broken;

        Recorder(SessionInfo info, String keyId, Instant startedAt) {
            this.info = info;
            this.keyId = keyId;
            this.startedAt = startedAt;
            this.wav = spool.recording().resolve(info.id() + ".wav");
            this.meta = spool.recording().resolve(info.id() + ".meta.json");
        }

        @Override
        public void engineOpened(int engineRate) {
            enqueue(new Open(engineRate), 0);
        }

        @Override
        public void engineAudio(byte[] pcm) {
            enqueue(pcm, pcm.length);
        }

        @Override
        public synchronized void finalResult(Segment segment) {
            if (!ended) finals.add(new Final(segment, clock.instant()));
        }

        @Override
        public void ended(String outcome) {
            synchronized (this) {
                if (ended) return;
                ended = true;
                ops.add(new End(outcome, clock.instant()));
                schedule();
            }
        }

        private synchronized void enqueue(Object op, long bytes) {
            if (ended) return;
            if (queuedBytes + bytes > MAX_QUEUED_BYTES) {
                if (dropped == 0) {
                    log.warn("session {}: the archive writer is {} MB behind; audio is left out of the archive (its"
                            + " sidecar counts it)", info.id(), MAX_QUEUED_BYTES >> 20);
                }
                dropped += bytes;
                droppedBytes.addAndGet(bytes);
                return;
            }
            ops.add(op);
            queuedBytes += bytes;
            schedule();
        }

        private void schedule() { // holding this
            if (scheduled) return;
            scheduled = true;
            try {
                writer.execute(this);
            } catch (RejectedExecutionException closing) {
                scheduled = false;
            }
        }

        @Override
        public void run() {
            while (true) {
                Object op;
                synchronized (this) {
                    op = ops.poll();
                    if (op == null) {
                        scheduled = false;
                        return;
                    }
                    if (op instanceof byte[] b) queuedBytes -= b.length;
                }
                try {
                    switch (op) {
                        case Open o -> begin(o.rate());
                        case byte[] b -> write(b);
                        case End e -> finish(e);
                        default -> throw new IllegalStateException("unknown archive op " + op);
                    }
                } catch (IOException | RuntimeException e) {
                    if (!broken) {
                        broken = true;
                        failed.incrementAndGet();
                        log.error("session {}: writing its archive failed; what was written stays in {}", info.id(),
                                spool.recording(), e);
                    }
                }
            }
        }

        private void begin(int engineRate) throws IOException {
            if (ch != null) return;
            rate = engineRate;
            ch = FileChannel.open(wav, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            writeFully(ch, ByteBuffer.wrap(WavWriter.header(rate, 1, 0)), 0);
            try {
                ch.tryLock(); // tells another server sharing DATA_DIR that this recording is alive; released on close
            } catch (IOException | OverlappingFileLockException e) {
                log.debug("session {}: no lock on its recording: {}", info.id(), e.toString());
            }
            Files.write(meta, JSON.writeValueAsBytes(header()));
        }

        private void write(byte[] pcm) throws IOException {
            if (broken) return;
            if (ch == null) begin(info.sampleRate());
            writeFully(ch, ByteBuffer.wrap(pcm), HEADER_BYTES + dataBytes);
            dataBytes += pcm.length;
        }

        private void finish(End end) throws IOException {
            recording.decrementAndGet();
            if (ch == null) begin(info.sampleRate()); // the engine never opened: an empty, valid WAV
            try (FileChannel c = ch) {
                writeFully(c, ByteBuffer.wrap(WavWriter.header(rate, 1, dataBytes)), 0);
            }
            ObjectNode side = header();
            side.put("endedAt", end.at().toString());
            side.put("outcome", end.outcome());
            side.put("audioBytes", dataBytes);
            side.put("audioSeconds", dataBytes / 2.0 / rate);
            long lost;
            List<Final> fs;
            synchronized (this) {
                lost = dropped;
                fs = List.copyOf(finals);
            }
            if (lost > 0) side.put("droppedBytes", lost);
            ArrayNode arr = side.putArray("finals");
            for (Final f : fs) {
                ObjectNode o = arr.addObject();
                o.put("text", f.segment().text());
                o.put("start", f.segment().start());
                o.put("end", f.segment().end());
                o.put("at", f.at().toString());
                ArrayNode words = o.putArray("words");
                for (Word w : f.segment().words()) {
                    words.addObject().put("word", w.word()).put("start", w.start()).put("end", w.end())
                            .put("confidence", w.confidence());
                }
            }
            Path sidecar = spool.recording().resolve(info.id() + ".json");
            Files.write(sidecar, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(side));
            storer.execute(() -> {
                try {
                    store(info.id(), startedAt, keyId, wav, sidecar, meta);
                } catch (IOException | RuntimeException e) {
                    failed.incrementAndGet();
                    log.error("session {}: storing its archive failed ({}); it stays in {} and is stored at the next"
                            + " start", info.id(), e.toString(), spool.recording());
                }
            });
        }

        private ObjectNode header() {
            ObjectNode o = JSON.createObjectNode();
            o.put("sessionId", info.id());
            o.put("engine", info.engine());
            if (keyId != null) o.put("keyId", keyId);
            o.put("startedAt", startedAt.toString());
            o.put("sampleRate", rate);
            o.put("clientSampleRate", info.sampleRate());
            o.put("resampled", rate != info.sampleRate());
            o.put("format", "wav pcm_s16le mono");
            return o;
        }
    }
}
