package dev.voxgate.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.voxgate.server.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/kubernetes/ run for real by {@code podman kube play}, podman's runner of ConfigMap and Deployment specs:
 * the manifests as they are, with only what an operator sets for a cluster changed for this host (the image; one
 * replica, since kube play binds each replica's containerPort on the host and a second would clash; a loopback host
 * port; names of this run's own; no S3, so files and jobs stay in the pod's emptyDir and SQLite).
 *
 * <p>The Secret is made as podman 4.3 takes it, which is not a Secret manifest: secretKeyRef reads a podman secret
 * holding a JSON map of base64 values, while a secret volume reads one holding a Secret object and writes its
 * {@code data} out undecoded, so the key file goes into a second podman secret that the volume names.
 *
 * <p>Checked from the host: the security context holds, the key file from the Secret is enforced, /metrics takes
 * the Secret's token, a WAV streams with raw Vosk's WER, and stopping the pod as the kubelet deletes one (SIGTERM,
 * then terminationGracePeriodSeconds) drains an open session: notice, its finals, 1001. That stop is
 * {@code podman stop -t 30} of the server's container, the pod's network staying up as a kubelet keeps the sandbox:
 * {@code podman kube down} in 4.3 removes the pod without a grace period, and {@code podman pod stop} took the
 * network down with the container, so the 1001 was lost now and then.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(900)
class KubePlayIT {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How far the pod may fall behind raw Vosk on the same audio, in WER points. */
    private static final double POINTS = 2.0;

    @TempDir
    static Path dir;
    private static String name;
    private static Path deployment;
    /** The Deployment as this test plays it. */
    private static ObjectNode spec;
    private static String container;
    private static URI base;
    private static String key;
    private static String metricsToken;
    private static SpeechSample speech;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void play() throws Exception {
        Images.requireContainers("kube play");
        String image = Images.voxgate();
        speech = SpeechSample.of(dir, "joined", 0, 30);
        name = "voxgate-kube-" + UUID.randomUUID().toString().substring(0, 8);
        int port = freePort();
        base = URI.create("http://127.0.0.1:" + port + "/");

        // The key file as the Secret's `keys` entry holds it, made by the image's own CLI.
        Path keys = dir.resolve("keys");
        String made = Podman.output(Duration.ofMinutes(2), "run", "--rm", "--user", "0", "-v", dir + ":/out", image,
                "keys", "create", "kube-it", "--file", "/out/keys");
        key = made.lines().reduce((a, b) -> b).orElseThrow().strip();
        metricsToken = UUID.randomUUID().toString();
        Map<String, String> secret = new LinkedHashMap<>();
        secret.put("DATABASE_URL", "");
        secret.put("REDIS_URL", "");
        secret.put("METRICS_TOKEN", metricsToken);
        secret.put("keys", Files.readString(keys));
        ObjectNode encoded = JSON.createObjectNode();
        Base64.Encoder base64 = Base64.getEncoder();
        secret.forEach((k, v) -> encoded.put(k, base64.encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        Path secretFile = dir.resolve("secret.json");
        JSON.writeValue(secretFile.toFile(), encoded);
        Podman.output(Duration.ofMinutes(1), "secret", "create", name, secretFile.toString());
        ObjectNode files = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Secret");
        files.putObject("metadata").put("name", name + "-files");
        files.putObject("data").put("keys", secret.get("keys"));
        Path filesFile = dir.resolve("secret-files.json");
        JSON.writeValue(filesFile.toFile(), files);
        Podman.output(Duration.ofMinutes(1), "secret", "create", name + "-files", filesFile.toString());

        Path manifests = Images.repository().resolve("deploy/kubernetes");
        ObjectNode configMap = (ObjectNode) YAML.readTree(manifests.resolve("configmap.yaml").toFile());
        ObjectNode data = (ObjectNode) configMap.path("data");
        data.remove("S3_BUCKET");
        data.remove("AWS_REGION");
        data.put("PUBLIC_URL", base.toString().replaceAll("/$", ""));
        Path configMapFile = dir.resolve("configmap.yaml");
        YAML.writeValue(configMapFile.toFile(), configMap);

        spec = (ObjectNode) YAML.readTree(manifests.resolve("deployment.yaml").toFile());
        ((ObjectNode) spec.path("metadata")).put("name", name);
        ((ObjectNode) spec.path("spec")).put("replicas", 1);
        ObjectNode pod = (ObjectNode) spec.path("spec").path("template").path("spec");
        ObjectNode c = (ObjectNode) pod.path("containers").get(0);
        c.put("image", image);
        ObjectNode http = (ObjectNode) c.path("ports").get(0);
        http.put("hostPort", port);
        http.put("hostIP", "127.0.0.1");
        for (JsonNode env : c.path("env")) {
            JsonNode ref = env.path("valueFrom").path("secretKeyRef");
            if (ref.isObject()) ((ObjectNode) ref).put("name", name);
        }
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.path("secret").isObject()) {
                ((ObjectNode) volume.path("secret")).put("secretName", name + "-files");
            }
        }
        deployment = dir.resolve("deployment.yaml");
        YAML.writeValue(deployment.toFile(), spec);

        long started = System.nanoTime();
        Podman.output(Duration.ofMinutes(3), "kube", "play", "--configmap", configMapFile.toString(),
                deployment.toString());
        container = name + "-pod-0-voxgate";
        DistributionIT.awaitReady(base.resolve("ready"), null, null);
        System.out.printf("[kube] %s: kube play -> ready in %.1f s at %s%n", name, (System.nanoTime() - started) / 1e9,
                base);
    }

    @AfterAll
    static void down() {
        if (container != null) {
            System.out.println("[kube] log tail of " + container + ":\n"
                    + Command.tail(Podman.run(Duration.ofMinutes(1), "logs", container).all()));
        }
        if (deployment != null) Podman.run(Duration.ofMinutes(2), "kube", "down", deployment.toString());
        if (name != null) {
            Podman.run(Duration.ofMinutes(1), "secret", "rm", name, name + "-files");
            // kube play keeps a secret volume's files in a named volume of the secret's name
            Podman.run(Duration.ofMinutes(1), "volume", "rm", "-f", name + "-files");
        }
    }

    @Test
    @Order(1)
    void theSecurityContextHolds() {
        assertThat(Podman.output(Duration.ofMinutes(1), "exec", container, "id", "-u")).isEqualTo("10001");
        Command.Result root = Podman.run(Duration.ofMinutes(1), "exec", container, "touch", "/opt/voxgate/x");
        assertThat(root.exitCode()).as("readOnlyRootFilesystem").isNotZero();
        assertThat(root.all()).contains("Read-only file system");
        for (String writable : new String[] {"/var/lib/voxgate/x", "/tmp/x"}) {
            assertThat(Podman.run(Duration.ofMinutes(1), "exec", container, "touch", writable).exitCode())
                    .as("%s (an emptyDir)", writable).isZero();
        }
        String status = Podman.output(Duration.ofMinutes(1), "exec", container, "cat", "/proc/1/status");
        assertThat(status.lines().filter(l -> l.startsWith("CapEff:")).findFirst().orElseThrow())
                .as("capabilities dropped").endsWith("0000000000000000");
    }

    @Test
    @Order(2)
    void theSecretsKeyAndMetricsTokenAreEnforced() throws Exception {
        assertThat(get("v1/models", null).statusCode()).as("no key").isEqualTo(401);
        assertThat(get("v1/models", "Bearer " + key).statusCode()).as("the key made into the Secret").isEqualTo(200);
        assertThat(get("metrics", null).statusCode()).as("/metrics without the token").isEqualTo(401);
        HttpResponse<String> metrics = get("metrics", "Bearer " + metricsToken);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("voxgate_sessions_active");
    }

    @Test
    @Order(3)
    void streamsAWav() {
        WsClient.Result r;
        try (WsClient ws = WsClient.connect(listen(), Map.of("Authorization", "Bearer " + key))) {
            r = ws.stream(speech.pcm(), 3_200);
        }
        assertThat(r.close().code()).as("%s", r.messages()).isEqualTo(1000);
        double wer = speech.wer(r.finalText());
        System.out.printf("[kube] ws://…/v1/listen to the pod: %.2f%% (raw vosk %.2f%%)%n", wer, speech.rawVosk());
        assertThat(wer).as("streamed WER vs raw Vosk: %s", r.finalText())
                .isLessThanOrEqualTo(speech.rawVosk() + POINTS);
    }

    @Test
    @Order(4)
    void stoppingThePodDrainsAnOpenSession() throws Exception {
        byte[] pcm = speech.pcm();
        int part = Math.min(pcm.length, 16_000 * 2 * 6) & ~1;
        try (WsClient ws = WsClient.connect(listen(), Map.of("Authorization", "Bearer " + key))) {
            ws.awaitType("ready");
            for (int pos = 0; pos < part; pos += 3_200) ws.sendBinary(pcm, pos, Math.min(3_200, part - pos));
            ws.awaitType("partial");
            String grace = spec.path("spec").path("template").path("spec").path("terminationGracePeriodSeconds")
                    .asText();
            CompletableFuture<Command.Result> stop = CompletableFuture.supplyAsync(
                    () -> Podman.run(Duration.ofMinutes(2), "stop", "-t", grace, container));
            JsonNode notice = ws.awaitType("notice");
            assertThat(notice.path("code").asText()).isEqualTo("server_shutdown");
            WsClient.Result r = ws.awaitClose();
            assertThat(r.finalText()).as("finals of the audio sent before SIGTERM: %s", r.messages()).isNotBlank();
            assertThat(r.close().code()).isEqualTo(1001);
            stop.join().orFail("podman stop");
        }
        assertThat(Podman.output(Duration.ofMinutes(1), "inspect", "--format", "{{.State.ExitCode}}", container))
                .as("stopped through the JVM's shutdown hook, not killed").matches("0|143");
    }

    private static URI listen() {
        return URI.create("ws://" + base.getAuthority() + "/v1/listen?sample_rate=16000&engine=vosk");
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) b.header("Authorization", authorization);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
