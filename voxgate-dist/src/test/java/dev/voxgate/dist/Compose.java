package dev.voxgate.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * deploy/compose/compose.yml run for real: Debian's docker-compose against podman's Docker-compatible API (a
 * {@code podman system service} on a socket of this test's own), so containers, networks and volumes are podman's
 * and the images the tests built are there. Service names resolve on the compose network through the CNI dnsname
 * plugin (Debian's golang-github-containernetworking-plugin-dnsname).
 */
final class Compose implements AutoCloseable {
    private final Path file;
    private final String project;
    private final Map<String, String> env;
    private final Process service;

    private Compose(Path file, String project, Map<String, String> env, Process service) {
        this.file = file;
        this.project = project;
        this.env = env;
        this.service = service;
    }

    /** Starts podman's API service for the project; nothing is created until {@link #run}. */
    static Compose project(Path file, String project, Map<String, String> settings, Path dir) throws IOException {
        if (!Files.isExecutable(Path.of("/usr/bin/docker-compose"))) {
            throw new AssertionError("docker-compose is not installed: scripts/test installs it (apt-get install "
                    + "docker-compose golang-github-containernetworking-plugin-dnsname), or skip this test with "
                    + "-Dvoxgate.container.skip=true");
        }
        Path socket = dir.resolve("podman.sock");
        Process service = new ProcessBuilder("podman", "system", "service", "--time=0", "unix://" + socket)
                .redirectErrorStream(true).redirectOutput(dir.resolve("podman-service.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket)) {
            if (System.nanoTime() > deadline || !service.isAlive()) {
                service.destroyForcibly();
                throw new AssertionError("podman system service did not start:\n"
                        + Files.readString(dir.resolve("podman-service.log")));
            }
            sleep(100);
        }
        Map<String, String> env = new HashMap<>(settings);
        env.put("DOCKER_HOST", "unix://" + socket);
        // The settings are the whole configuration: a .env a user left beside compose.yml is not read.
        Path envFile = dir.resolve("compose.env");
        Files.writeString(envFile, "");
        env.put("COMPOSE_ENV_FILE", envFile.toString());
        return new Compose(file, project, env, service);
    }

    Command.Result run(Duration timeout, String... args) {
        List<String> argv = new ArrayList<>(List.of("docker-compose", "--no-ansi", "-f", file.toString(), "-p",
                project, "--env-file", env.get("COMPOSE_ENV_FILE")));
        argv.addAll(List.of(args));
        return new Command(argv, env, file.getParent()).run(timeout);
    }

    String output(Duration timeout, String... args) {
        return run(timeout, args).orFail("docker-compose " + String.join(" ", args)).output().strip();
    }

    /** Sets one more variable for the commands that follow (a value known only once some services are up). */
    void set(String name, String value) {
        env.put(name, value);
    }

    /** Waits until {@code voxgate health} in the container says ready (its image's health check). */
    static void awaitHealthy(String container) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (Podman.run(Duration.ofMinutes(1), "exec", container, "voxgate", "health", "--quiet").exitCode() != 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(container + " never became ready:\n"
                        + Command.tail(Podman.run(Duration.ofMinutes(1), "logs", container).all()));
            }
            sleep(500);
        }
    }

    /** The container's address on the project's network, as the other containers there see it. */
    static String address(String container) {
        return Podman.output(Duration.ofMinutes(1), "inspect", "--format",
                "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", container);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The container docker-compose named for replica {@code index} of {@code service}. */
    String container(String service, int index) {
        return project + "_" + service + "_" + index;
    }

    /** An HTTP client that trusts the root certificate of the Caddy container's internal CA (TLS_MODE=internal). */
    HttpClient trustingCaddy(String caddyContainer, Path dir) throws Exception {
        Path pem = dir.resolve("caddy-root.crt");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Command.Result r = Podman.run(Duration.ofMinutes(1), "exec", caddyContainer, "cat",
                    "/data/caddy/pki/authorities/local/root.crt");
            if (r.exitCode() == 0 && r.output().contains("BEGIN CERTIFICATE")) {
                Files.writeString(pem, r.output());
                break;
            }
            if (System.nanoTime() > deadline) throw new AssertionError("Caddy made no internal CA: " + r.all());
            sleep(500);
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (var in = Files.newInputStream(pem)) {
            trust.setCertificateEntry("caddy", (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Takes everything down (containers, network, volumes) and stops the API service. */
    @Override
    public void close() {
        try {
            run(Duration.ofMinutes(3), "down", "-v", "--remove-orphans", "-t", "5");
        } finally {
            service.destroy();
            try {
                if (!service.waitFor(10, TimeUnit.SECONDS)) service.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
