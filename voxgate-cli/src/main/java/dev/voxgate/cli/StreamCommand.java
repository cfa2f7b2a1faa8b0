package dev.voxgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.WavReader;
import dev.voxgate.server.logging.LoggingSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** {@code voxgate stream URL FILE}: a client of the native protocol that prints results as they arrive. */
@Command(name = "stream",
        description = "Stream a WAV file to a Voxgate server and print partials and finals as they arrive.")
final class StreamCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "URL", description = "ws://host:port/v1/listen (query parameters are kept).")
    URI url;
    @Parameters(index = "1", paramLabel = "FILE", description = "A WAV file (any rate, channels mixed down).")
    Path file;
    @Option(names = "--realtime", description = "Send audio at its real speed, as a microphone would.")
    boolean realtime;
    @Option(names = "--chunk-ms", defaultValue = "100",
            description = "Audio per frame in milliseconds (default ${DEFAULT-VALUE}).")
    int chunkMs;
    @Option(names = "--no-partials", description = "Do not print partial results (they go to standard error).")
    boolean noPartials;
    @Option(names = "--token", description = "API key sent as 'Authorization: Bearer'.")
    String token;

    @Override
    public Integer call() throws Exception {
        LoggingSetup.configure("warn", "text", true);
        PcmAudio audio;
        try {
            audio = WavReader.read(file);
        } catch (IOException e) {
            throw new UserException(file + ": cannot read audio: " + e.getMessage());
        }
        if (audio.sampleRate() < 8000 || audio.sampleRate() > 48000) audio = audio.resampledTo(16000);
        URI target = withSampleRate(url, audio.sampleRate());
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Printer printer = new Printer(closed, ready);
        HttpClient http = HttpClient.newHttpClient();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (token != null) builder.header("Authorization", "Bearer " + token);
        WebSocket ws;
        try {
            ws = builder.buildAsync(target, printer).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new UserException("cannot connect to " + target + ": " + e.getCause().getMessage());
        }
        CompletableFuture.anyOf(ready, closed).get(30, TimeUnit.SECONDS);
        if (closed.isDone()) return closed.get();
        byte[] pcm = audio.toBytes();
        int step = Math.max(2, audio.sampleRate() * 2 * chunkMs / 1000 & ~1);
        long t0 = System.nanoTime();
        for (int pos = 0, i = 0; pos < pcm.length && !closed.isDone(); pos += step, i++) {
            int n = Math.min(step, pcm.length - pos);
            ws.sendBinary(ByteBuffer.wrap(pcm, pos, n), true).get();
            if (realtime) {
                long due = t0 + (long) ((i + 1) * chunkMs * 1e6);
                long wait = due - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        if (!closed.isDone()) ws.sendText("{\"type\":\"end_stream\"}", true).get();
        return closed.get(10 + (long) audio.seconds() * 2, TimeUnit.SECONDS);
    }

    static URI withSampleRate(URI url, int rate) {
        String q = url.getRawQuery();
        if (q != null && q.matches("(^|.*&)sample_rate=.*")) return url;
        String s = url.toString();
        return URI.create(s + (q == null ? "?" : "&") + "sample_rate=" + rate);
    }

    private final class Printer implements WebSocket.Listener {
        private final CompletableFuture<Integer> closed;
        private final CompletableFuture<Void> ready;
        private final StringBuilder text = new StringBuilder();
        private boolean failed;

        Printer(CompletableFuture<Integer> closed, CompletableFuture<Void> ready) {
            this.closed = closed;
            this.ready = ready;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                handle(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        private void handle(String message) {
            try {
                JsonNode n = JSON.readTree(message);
                switch (n.path("type").asText()) {
                    case "ready" -> {
                        System.err.println("[ready] session " + n.path("sessionId").asText() + " engine "
                                + n.path("engine").asText());
                        ready.complete(null);
                    }
                    case "partial" -> { if (!noPartials) System.err.println("[partial] " + n.path("text").asText()); }
                    case "final" -> System.out.printf(Locale.ROOT, "[%.2f-%.2f] %s%n",
                            n.path("start").asDouble(), n.path("end").asDouble(), n.path("text").asText());
                    case "error" -> {
                        failed = true;
                        System.err.println("[error] " + n.path("code").asText() + ": " + n.path("message").asText());
                    }
                    default -> System.err.println("[?] " + message);
                }
            } catch (IOException e) {
                System.err.println("[unparsable] " + message);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            if (statusCode != 1000) System.err.println("[closed] " + statusCode + " " + reason);
            closed.complete(statusCode == 1000 && !failed ? 0 : 1);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            System.err.println("[connection error] " + error.getMessage());
            closed.complete(1);
        }
    }
}
