package dev.voxgate.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code java -jar voxgate.jar serve} as its own process, on a free port, until ready. */
final class VoxgateProcess implements AutoCloseable {
    private static final Path JAR = Path.of("target", "voxgate.jar");
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final int port;
    private final StringBuilder log;

    private VoxgateProcess(Process process, int port, StringBuilder log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static VoxgateProcess serve(Map<String, String> env) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-jar", JAR.toString(), "serve"))
                .redirectErrorStream(true);
        pb.environment().put("VOXGATE_CACHE_DIR", System.getProperty("java.io.tmpdir") + "/voxgate-test-cache");
        pb.environment().put("PORT", "0");
        pb.environment().put("HOST", "127.0.0.1");
        // Tests poll from one address; the tests of the limits set their own.
        pb.environment().put("RATE_LIMIT_PER_MINUTE", "0");
        pb.environment().put("UPLOADS_PER_MINUTE", "0");
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        StringBuilder log = new StringBuilder();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                }
            } catch (Exception ignored) {
                // the process ended
            }
            port.completeExceptionally(new IllegalStateException("voxgate exited before listening:\n" + log));
        });
        VoxgateProcess v = new VoxgateProcess(p, port.get(90, TimeUnit.SECONDS), log);
        for (int i = 0; i < 600 && v.get("/ready").statusCode() != 200; i++) Thread.sleep(100);
        return v;
    }

    URI http(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(http(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL: no shutdown hook, no draining, as when the machine dies. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String log() {
        synchronized (log) {
            return log.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.toHandle().destroyForcibly();
    }
}
