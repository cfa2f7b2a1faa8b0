package dev.voxgate.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens native-protocol sessions against a server with the JDK WebSocket client, one virtual
 * thread per concurrent stream. Each stream takes clips from a shared queue, one session per clip,
 * and sends it either paced like a microphone (a chunk every {@code chunkMs} of wall time) or as
 * fast as the server accepts; then {@code end_stream}, and waits for the close.
 */
public final class LoadGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param rampUpMs the streams' first sessions start spread evenly over this time, as clients
     *                 arrive rather than all in the same instant
     */
    public record Options(URI url, int concurrency, boolean realtime, int chunkMs, Duration sessionTimeout,
            int rampUpMs) {
        public Options {
            if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
        }

        public Options(URI url, int concurrency, boolean realtime, int chunkMs, Duration sessionTimeout) {
            this(url, concurrency, realtime, chunkMs, sessionTimeout, realtime ? chunkMs : 0);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();

    /** Streams every clip once, {@code options.concurrency()} at a time. */
    public LoadReport run(String label, List<Clip> clips, Options options, ServerProbe probe) {
        ConcurrentLinkedQueue<Clip> queue = new ConcurrentLinkedQueue<>(clips);
        List<SessionResult> results = Collections.synchronizedList(new ArrayList<>());
        AtomicLong peakRss = new AtomicLong();
        double cpu0 = probe.cpuSeconds();
        long t0 = System.nanoTime();
        try (ExecutorService streams = Executors.newVirtualThreadPerTaskExecutor();
             var sampler = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory())) {
            sampler.scheduleAtFixedRate(() -> peakRss.accumulateAndGet((long) probe.rssBytes(), Math::max), 0, 200,
                    TimeUnit.MILLISECONDS);
            for (int i = 0; i < options.concurrency(); i++) {
                long stagger = (long) i * options.rampUpMs() * 1_000_000L / options.concurrency();
                streams.submit(() -> {
                    sleepNanos(stagger);
                    for (Clip c; (c = queue.poll()) != null; ) results.add(session(c, options));
                });
            }
            streams.shutdown();
            streams.awaitTermination(1, TimeUnit.DAYS);
            sampler.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        return new LoadReport(label, options.concurrency(), options.realtime(), List.copyOf(results), wall,
                probe.cpuSeconds() - cpu0, peakRss.get() == 0 ? Double.NaN : peakRss.get());
    }

    /** One session: connect, wait for ready, send the clip, end_stream, wait for the close. */
    SessionResult session(Clip clip, Options o) {
        Recorder rec = new Recorder();
        long t0 = System.nanoTime();
        String sep = o.url().getRawQuery() == null ? "?" : "&";
        URI uri = URI.create(o.url() + sep + "sample_rate=" + clip.sampleRate());
        WebSocket ws = null;
        try {
            ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, rec)
                    .get(15, TimeUnit.SECONDS);
            // The protocol lets audio go before `ready` (it is queued in order while the recognizer
            // opens), so the client starts at once, as a microphone would; `ready` is still timed.
            int step = clip.sampleRate() * 2 * o.chunkMs() / 1000;
            int onsetByte = (int) (clip.onsetSeconds() * clip.sampleRate()) * 2;
            long start = System.nanoTime();
            for (int pos = 0, i = 0; pos < clip.pcm().length && !rec.closed.isDone(); pos += step, i++) {
                if (o.realtime()) sleepNanos(start + (long) i * o.chunkMs() * 1_000_000L - System.nanoTime());
                if (rec.onsetSentAt == 0 && pos + step > onsetByte) rec.onsetSentAt = System.nanoTime();
                ws.sendBinary(ByteBuffer.wrap(clip.pcm(), pos, Math.min(step, clip.pcm().length - pos)), true).get();
            }
            long endSent = System.nanoTime();
            if (!rec.closed.isDone()) ws.sendText("{\"type\":\"end_stream\"}", true).get();
            rec.closed.get(o.sessionTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return rec.result(clip, t0, endSent, true);
        } catch (Exception e) {
            if (ws != null) ws.abort();
            rec.error = rec.error != null ? rec.error : e.getClass().getSimpleName() + ": " + e.getMessage();
            return rec.result(clip, t0, -1, false);
        }
    }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) return;
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Recorder implements WebSocket.Listener {
        final CompletableFuture<Long> ready = new CompletableFuture<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final StringBuilder text = new StringBuilder();
        final StringBuilder frame = new StringBuilder();
        volatile long onsetSentAt;
        volatile long firstPartialAt;
        volatile long closedAt;
        volatile String error;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
                handle(frame.toString());
                frame.setLength(0);
            }
            ws.request(1);
            return null;
        }

        private void handle(String message) {
            long now = System.nanoTime();
            try {
                JsonNode n = JSON.readTree(message);
                switch (n.path("type").asText()) {
                    case "ready" -> ready.complete(now);
                    case "partial", "final" -> {
                        if (onsetSentAt != 0 && firstPartialAt == 0) firstPartialAt = now;
                        if ("final".equals(n.path("type").asText())) {
                            if (!text.isEmpty()) text.append(' ');
                            text.append(n.path("text").asText());
                        }
                    }
                    case "error" -> error = n.path("code").asText() + ": " + n.path("message").asText();
                    default -> { }
                }
            } catch (Exception e) {
                error = "unparsable message: " + message;
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closedAt = System.nanoTime();
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable e) {
            closedAt = System.nanoTime();
            if (error == null) error = "connection: " + e;
            closed.complete(1006);
        }

        SessionResult result(Clip clip, long t0, long endSent, boolean streamed) {
            int code = closed.isDone() ? closed.join() : -1;
            boolean ok = streamed && code == 1000 && error == null;
            double readyMs = ready.isDone() ? (ready.join() - t0) / 1e6 : Double.NaN;
            double partialMs = firstPartialAt != 0 ? (firstPartialAt - onsetSentAt) / 1e6 : Double.NaN;
            double finalizeMs = endSent > 0 && closedAt != 0 ? (closedAt - endSent) / 1e6 : Double.NaN;
            double totalMs = closedAt != 0 ? (closedAt - t0) / 1e6 : Double.NaN;
            String err = ok ? null : (error != null ? error : "closed with " + code);
            return new SessionResult(clip.id(), ok, err, code, clip.seconds(), readyMs, partialMs, finalizeMs, totalMs,
                    text.toString());
        }
    }
}
