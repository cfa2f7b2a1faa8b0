package dev.voxgate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code voxgate health}: asks a running server whether it is ready, for container health checks
 * and scripts. It exists so that an image needs no curl or wget: exit status 0 when the server
 * answers 200, 1 when it answers anything else or cannot be reached.
 */
@Command(name = "health",
        description = "Check a running server: exit 0 when its /ready answers 200, else 1 "
        + "(for HEALTHCHECK and scripts).")
final class HealthCommand implements Callable<Integer> {
    @Option(names = "--url", description = "What to ask (default http://127.0.0.1:$PORT/ready, PORT defaulting to 8080).")
    URI url;
    @Option(names = "--timeout", description = "Seconds to wait for the answer (default ${DEFAULT-VALUE}).",
            defaultValue = "5")
    double timeoutSeconds;
    @Option(names = {"-q", "--quiet"}, description = "Print nothing; the exit status says it all.")
    boolean quiet;

    @Override
    public Integer call() throws InterruptedException {
        if (!(timeoutSeconds > 0)) throw new UserException("--timeout must be a positive number of seconds");
        URI target = url != null ? url : URI.create("http://127.0.0.1:" + port(System.getenv("PORT")) + "/ready");
        Duration timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
        PrintStream out = System.out;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(target).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (!quiet) out.println(response.statusCode() + " " + response.body().strip());
            return response.statusCode() == 200 ? 0 : 1;
        } catch (ConnectException e) {
            if (!quiet) out.println("unreachable: nothing answers at " + target);
        } catch (HttpTimeoutException e) {
            if (!quiet) out.println("timeout: no answer from " + target + " within " + timeoutSeconds + " s");
        } catch (IOException | IllegalArgumentException e) {
            if (!quiet) out.println("failed: " + target + ": " + e.getMessage());
        }
        return 1;
    }

    /** PORT as the server reads it; 0 ("pick a free port") cannot be probed, so it is refused. */
    static int port(String value) {
        if (value == null || value.isBlank()) return 8080;
        try {
            int port = Integer.parseInt(value.strip());
            if (port > 0 && port <= 65535) return port;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UserException("PORT=" + value + " is not a port from 1 to 65535; give --url instead");
    }
}
