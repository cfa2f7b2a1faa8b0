package dev.voxgate.bench.suite;

import dev.voxgate.bench.BenchServer;
import dev.voxgate.bench.load.ServerProbe;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Voxgate server in its own JVM (so its CPU and memory can be read from /proc), on a free loopback port. */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

    private final Process process;
    private final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static ServerProcess start(Map<String, String> env) throws Exception {
        return start(env, List.of());
    }

    /** @param jvmArgs extra JVM options for the server, e.g. a fixed heap */
    public static ServerProcess start(Map<String, String> env, List<String> jvmArgs) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        // ONNX Runtime (Whisper) and JavaCPP (FFmpeg) load native libraries: the flag keeps JDK 24+ quiet about it.
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        // A native crash's hs_err file goes to the temp folder, not into the working folder (the checkout).
        cmd.add("-XX:ErrorFile="
                + Path.of(System.getProperty("java.io.tmpdir"), "voxgate-bench-server-hs_err_pid%p.log"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchServer.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // The load comes from one address; per-IP rate limits would measure the limiter, not the server.
        pb.environment().putAll(Map.of("PORT", "0", "HOST", "127.0.0.1", "MAX_SESSIONS", "2000", "LOG_LEVEL", "info",
                "RATE_LIMIT_PER_MINUTE", "0", "UPLOADS_PER_MINUTE", "0"));
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                    else if (line.contains("ERROR")) System.err.println("[server] " + line);
                }
            } catch (Exception ignored) {
                // The process ended.
            }
            port.completeExceptionally(new IllegalStateException("the server exited before listening"));
        });
        // BenchServer listens once every engine has loaded (a first start also extracts the models).
        try {
            ServerProcess server = new ServerProcess(p, port.get(600, TimeUnit.SECONDS));
            server.awaitReady();
            return server;
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 1200; i++) {
            int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 200) return;
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server did not become ready");
    }

    public URI listenUrl() {
        return URI.create("ws://127.0.0.1:" + port + "/v1/listen");
    }

    /** {@code http://127.0.0.1:PORT/} (the HTTP API, e.g. batch jobs). */
    public URI httpBase() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public long pid() {
        return process.pid();
    }

    public ServerProbe probe() {
        return ServerProbe.forPid(process.pid());
    }

    @Override
    public void close() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            System.err.println("[server] pid " + process.pid() + " did not stop within 30 s of SIGTERM; killed");
            return;
        }
        int code = process.exitValue();
        if (code != 0 && code != 143) { // 143: ended by the SIGTERM above without a shutdown hook finishing first
            System.err.println("[server] pid " + process.pid() + " exited with code " + code + " while stopping"
                    + (code == 134 ? " (a JVM crash: see "
                            + Path.of(System.getProperty("java.io.tmpdir"), "voxgate-bench-server-hs_err_pid"
                                    + process.pid() + ".log") + ")" : ""));
        }
    }
}
