package dev.voxgate.server.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Caddy as an HTTPS reverse proxy in front of a test server, with its own internal CA
 * (the browser is told to accept it). Serves the server under a path prefix, as an operator
 * putting Voxgate beside other sites would.
 */
final class Caddy implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private Caddy(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static Caddy proxy(int upstreamPort, String prefix, Path dir) {
        Path caddy = Path.of(System.getenv().getOrDefault("CADDY_BIN", "/usr/bin/caddy"));
        if (!Files.isExecutable(caddy)) {
            throw new IllegalStateException("the reverse-proxy test needs " + caddy
                    + ": install Debian's caddy (sudo apt-get install caddy; .ci/run does this) or set CADDY_BIN");
        }
        try {
            Files.createDirectories(dir);
            int port = freePort();
            Path config = dir.resolve("Caddyfile");
            Files.writeString(config, """
                    {
                        admin off
                        auto_https disable_redirects
                        skip_install_trust
                        storage file_system %s
                    }
                    https://localhost:%d {
                        tls internal
                        redir %s %s/
                        handle_path %s/* {
                            reverse_proxy 127.0.0.1:%d
                        }
                    }
                    """.formatted(dir.resolve("data").toAbsolutePath(), port, prefix, prefix, prefix, upstreamPort));
            Path log = dir.resolve("caddy.log");
            ProcessBuilder pb = new ProcessBuilder(caddy.toString(), "run", "--config", config.toString(), "--adapter",
                    "caddyfile")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("HOME", dir.toAbsolutePath().toString());
            pb.environment().put("XDG_DATA_HOME", dir.resolve("xdg-data").toAbsolutePath().toString());
            pb.environment().put("XDG_CONFIG_HOME", dir.resolve("xdg-config").toAbsolutePath().toString());
            Caddy c = new Caddy(pb.start(), port, log);
            c.awaitListening(Duration.ofSeconds(20));
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(String path) {
        return "https://localhost:" + port + path;
    }

    private void awaitListening(Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) throw new IllegalStateException("caddy exited:\n" + Files.readString(log));
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("caddy did not listen on " + port + " within " + timeout + ":\n"
                + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(TimeUnit.SECONDS.toMillis(10), TimeUnit.MILLISECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
