package dev.voxgate.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.server.Multipart;
import dev.voxgate.server.WsClient;
import dev.voxgate.testkit.Utterance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/compose/compose.yml as a user runs it, with podman: Caddy (Debian's, TLS from its internal CA) in front of
 * two Voxgate containers that share PostgreSQL (jobs), Redis (limits) and the data volume (files), all from the
 * profiles of the one compose file. Everything is checked from the host through Caddy's HTTPS port only: the page,
 * a WAV streamed over {@code wss://}, a file job; then one node is killed mid-job (the job finishes on the other,
 * the session on the other is untouched), and the survivor is stopped with SIGTERM (notice, finals, 1001).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(1200)
class ComposeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How far a transcript through the stack may fall behind raw Vosk on the same audio, in WER points. */
    private static final double POINTS = 2.0;

    @TempDir
    static Path dir;
    private static Compose compose;
    private static HttpClient https;
    private static URI base;
    /** About 45 s of speech for the stream and the first job. */
    private static SpeechSample speech;
    /** About a minute (the utterances after those), for the job a node dies under. */
    private static SpeechSample longSpeech;
    private static long upStarted;
    private static String survivor;

    @BeforeAll
    static void up() throws Exception {
        Images.requireContainers("compose");
        Images.startStandIns();
        String voxgate = Images.voxgate();
        String standIns = Images.standIns();
        speech = SpeechSample.of(dir, "joined", 0, 45);
        longSpeech = SpeechSample.of(dir, "long", speech.parts(), 60);
        System.out.printf("[compose] speech %.1f s and %.1f s; raw vosk in this JVM %.2f%% and %.2f%%%n",
                speech.audio().seconds(), longSpeech.audio().seconds(), speech.rawVosk(), longSpeech.rawVosk());

        int httpsPort = Compose.freePort();
        String password = UUID.randomUUID().toString();
        Map<String, String> settings = new HashMap<>();
        for (String keep : List.of("PATH", "HOME", "CONTAINERS_CONF", "TMPDIR")) {
            if (System.getenv(keep) != null) settings.put(keep, System.getenv(keep));
        }
        settings.putAll(Map.of("VOXGATE_IMAGE", voxgate, "CADDY_IMAGE", standIns, "POSTGRES_IMAGE", standIns,
                "REDIS_IMAGE", standIns, "DOMAIN", "localhost", "TLS_MODE", "internal", "HTTP_BIND", "127.0.0.1",
                "HTTP_PORT", Integer.toString(Compose.freePort()), "HTTPS_BIND", "127.0.0.1",
                "HTTPS_PORT", Integer.toString(httpsPort)));
        settings.putAll(Map.of("POSTGRES_PASSWORD", password,
                "DATABASE_URL", "postgresql://voxgate:" + password + "@postgres:5432/voxgate",
                "REDIS_URL", "redis://redis:6379", "PUBLIC_URL", "https://localhost:" + httpsPort,
                "WORKER_CONCURRENCY", "1"));
        String project = "voxgate-it-" + UUID.randomUUID().toString().substring(0, 8);
        compose = Compose.project(Images.repository().resolve("deploy/compose/compose.yml"), project, settings, dir);

        upStarted = System.nanoTime();
        compose.output(Duration.ofMinutes(10), "--profile", "postgres", "--profile", "redis", "up", "-d", "--scale",
                "voxgate=2");
        https = compose.trustingCaddy(compose.container("caddy", 1), dir);
        base = URI.create("https://localhost:" + httpsPort + "/");
        for (int node = 1; node <= 2; node++) Compose.awaitHealthy(compose.container("voxgate", node));
        awaitStatus(https, base.resolve("ready"), 200);
        System.out.printf("[compose] %s: caddy + 2 voxgate + postgres + redis up and ready in %.1f s%n", project,
                (System.nanoTime() - upStarted) / 1e9);
    }

    @AfterAll
    static void down() {
        if (compose == null) return;
        for (String c : List.of(compose.container("caddy", 1), compose.container("voxgate", 1),
                compose.container("voxgate", 2))) {
            System.out.println("[compose] log tail of " + c + ":\n"
                    + Command.tail(Podman.run(Duration.ofMinutes(1), "logs", c).all()));
        }
        compose.close();
    }

    /** The recipes this test does not run are at least what docker-compose accepts. */
    @Test
    @Order(0)
    void theRecognizerFileAndTheS3ProfileAreValidCompose() {
        Path recipes = Images.repository().resolve("deploy/compose");
        Command.of("docker-compose", "-f", "recognizer.yml", "config", "-q")
                .env(Map.of("RECOGNIZER_ALLOWED_IPS", "10.8.0.1/32")).in(recipes).run(Duration.ofMinutes(1))
                .orFail("docker-compose -f recognizer.yml config");
        Command.of("docker-compose", "-f", "compose.yml", "--profile", "s3", "config", "-q")
                .env(Map.of("S3_BUCKET", "voxgate", "S3_ENDPOINT", "http://s3:9000")).in(recipes)
                .run(Duration.ofMinutes(1)).orFail("docker-compose --profile s3 config");
    }

    @Test
    @Order(1)
    void pageLoadsOverHttpsWithSecurityHeaders() throws Exception {
        HttpResponse<String> page = https.send(HttpRequest.newBuilder(base).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<html").contains("Voxgate");
        assertThat(page.headers().firstValue("strict-transport-security")).hasValueSatisfying(
                v -> assertThat(v).contains("max-age="));
        assertThat(page.headers().firstValue("content-security-policy")).as("Voxgate's own headers pass through")
                .isPresent();
        assertThat(page.headers().firstValue("server")).as("Caddy's Server header is removed").isEmpty();
        HttpResponse<String> metrics = https.send(HttpRequest.newBuilder(base.resolve("metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).as("/metrics is not public").isEqualTo(404);
    }

    @Test
    @Order(2)
    void streamsAWavOverWss() {
        WsClient.Result r;
        long firstFinal;
        try (WsClient ws = WsClient.connect(https, wss(), Map.of())) {
            ws.awaitType("ready");
            byte[] pcm = speech.pcm();
            for (int pos = 0; pos < pcm.length; pos += 3_200) {
                ws.sendBinary(pcm, pos, Math.min(3_200, pcm.length - pos));
            }
            ws.awaitType("final");
            firstFinal = System.nanoTime();
            ws.endStream();
            r = ws.awaitClose();
        }
        assertThat(r.close().code()).as("%s", r.messages()).isEqualTo(1000);
        double wer = speech.wer(r.finalText());
        System.out.printf("[compose] compose up -> first final through Caddy: %.1f s (images already built)%n",
                (firstFinal - upStarted) / 1e9);
        System.out.printf("[compose] wss://…/v1/listen through Caddy: %.2f%% (raw vosk %.2f%%)%n", wer,
                speech.rawVosk());
        assertThat(wer).as("streamed WER vs raw Vosk %.2f%%: %s", speech.rawVosk(), r.finalText())
                .isLessThanOrEqualTo(speech.rawVosk() + POINTS);
    }

    @Test
    @Order(3)
    void aFileJobCompletes() throws Exception {
        String id = submit(speech.utterance(), "vosk");
        JsonNode done = awaitJob(id, j -> j.path("status").asText().matches("succeeded|failed|cancelled"));
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
        String text = get("api/jobs/" + id + "/transcript.txt").body();
        double wer = speech.wer(text);
        System.out.printf("[compose] file job through Caddy: %.2f%% (raw vosk %.2f%%)%n", wer, speech.rawVosk());
        assertThat(wer).isLessThanOrEqualTo(speech.rawVosk() + POINTS);
    }

    /**
     * One session on each node (Caddy's least_conn puts the second where the first is not), a job running on one;
     * that node is killed (SIGKILL, no goodbye): the job runs again on the other and succeeds, the session there
     * goes on to its last final as if nothing happened.
     */
    @Test
    @Order(4)
    void killingANodeMidJobLosesNothing() throws Exception {
        String id = submit(longSpeech.utterance(), "vosk");
        awaitJob(id, j -> j.path("status").asText().equals("running") && j.path("progress").asInt() >= 5);
        String victim = nodeRunning(id);
        survivor = victim.equals(compose.container("voxgate", 1)) ? compose.container("voxgate", 2)
                : compose.container("voxgate", 1);

        byte[] pcm = speech.pcm();
        int third = (pcm.length / 3) & ~1;
        List<WsClient> sessions = List.of(WsClient.connect(https, wss(), Map.of()),
                WsClient.connect(https, wss(), Map.of()));
        try {
            for (WsClient s : sessions) {
                s.awaitType("ready");
                for (int pos = 0; pos < third; pos += 3_200) s.sendBinary(pcm, pos, Math.min(3_200, third - pos));
            }
            Podman.output(Duration.ofMinutes(1), "kill", "--signal", "KILL", victim);
            System.out.printf("[compose] killed %s while it ran job %s%n", victim, id);
            List<CompletableFuture<WsClient.Result>> results = new ArrayList<>();
            for (WsClient s : sessions) {
                results.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        for (int pos = third; pos < pcm.length && !s.isClosed(); pos += 3_200) {
                            s.sendBinary(pcm, pos, Math.min(3_200, pcm.length - pos));
                        }
                        if (!s.isClosed()) s.endStream();
                    } catch (RuntimeException e) {
                        // the killed node's connection: sending fails, the close below says how it ended
                    }
                    return s.awaitClose();
                }));
            }
            List<WsClient.Result> ended = results.stream().map(CompletableFuture::join).toList();
            List<WsClient.Result> whole = ended.stream().filter(r -> r.close().code() == 1000).toList();
            assertThat(whole).as("exactly the session on the surviving node ends normally: %s",
                    ended.stream().map(WsClient.Result::close).toList()).hasSize(1);
            double wer = speech.wer(whole.get(0).finalText());
            System.out.printf("[compose] the session on the surviving node: %.2f%% (raw vosk %.2f%%)%n", wer,
                    speech.rawVosk());
            assertThat(wer).isLessThanOrEqualTo(speech.rawVosk() + POINTS);
        } finally {
            sessions.forEach(WsClient::close);
        }

        JsonNode done = awaitJob(id, j -> j.path("status").asText().matches("succeeded|failed|cancelled"));
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.path("attempts").asInt()).as("ran again after the kill").isGreaterThanOrEqualTo(2);
        assertThat(nodeRunning(id)).as("the second attempt ran on the other node").isEqualTo(survivor);
        double wer = longSpeech.wer(get("api/jobs/" + id + "/transcript.txt").body());
        System.out.printf("[compose] the job, finished on %s: %.2f%% (raw vosk %.2f%%)%n", survivor, wer,
                longSpeech.rawVosk());
        assertThat(wer).isLessThanOrEqualTo(longSpeech.rawVosk() + POINTS);
    }

    /**
     * SIGTERM to the last node (what {@code docker compose stop} sends): its open session is told at once
     * ({@code notice}), still gets the finals of what it sent, then 1001; meanwhile {@code /ready} answers 503.
     */
    @Test
    @Order(5)
    void sigtermDrainsTheSessionsOfTheLastNode() throws Exception {
        assertThat(survivor).as("runs after the kill test").isNotNull();
        byte[] pcm = speech.pcm();
        int part = Math.min(pcm.length, 16_000 * 2 * 6) & ~1;
        try (WsClient ws = WsClient.connect(https, wss(), Map.of())) {
            ws.awaitType("ready");
            for (int pos = 0; pos < part; pos += 3_200) ws.sendBinary(pcm, pos, Math.min(3_200, part - pos));
            ws.awaitType("partial");
            CompletableFuture<Command.Result> stop = CompletableFuture.supplyAsync(
                    () -> Podman.run(Duration.ofMinutes(1), "stop", "-t", "15", survivor));
            JsonNode notice = ws.awaitType("notice");
            assertThat(notice.path("code").asText()).isEqualTo("server_shutdown");
            assertThat(get("ready").statusCode()).as("/ready while draining").isEqualTo(503);
            WsClient.Result r = ws.awaitClose();
            assertThat(r.finalText()).as("finals of the audio sent before SIGTERM: %s", r.messages()).isNotBlank();
            assertThat(r.close().code()).isEqualTo(1001);
            stop.join().orFail("podman stop");
        }
        String state = Podman.output(Duration.ofMinutes(1), "inspect", "--format", "{{.State.ExitCode}}", survivor);
        assertThat(state).as("stopped through the JVM's shutdown hook, not killed").matches("0|143");
    }

    /** The node that started the job's latest attempt (each attempt logs "job ID attempt N started on …"). */
    private static String nodeRunning(String id) {
        String found = null;
        int latest = 0;
        for (int node = 1; node <= 2; node++) {
            String c = compose.container("voxgate", node);
            int attempt = attempt(c, id);
            if (attempt > latest) {
                latest = attempt;
                found = c;
            }
        }
        if (found == null) throw new AssertionError("no node logged starting job " + id);
        return found;
    }

    private static int attempt(String container, String id) {
        String log = Podman.run(Duration.ofMinutes(1), "logs", container).all();
        int best = 0;
        for (String line : log.split("\n")) {
            int at = line.indexOf("job " + id + " attempt ");
            if (at < 0 || !line.contains(" started on ")) continue;
            String rest = line.substring(at + ("job " + id + " attempt ").length()).split(" ")[0];
            best = Math.max(best, Integer.parseInt(rest.replaceAll("\\D", "")));
        }
        return best;
    }

    private static String submit(Utterance u, String engine) throws Exception {
        HttpResponse<String> r = https.send(new Multipart().field("engine", engine)
                .file("file", u.id() + ".wav", Files.readAllBytes(u.wav())).post(base.resolve("api/jobs")),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asText();
    }

    private static JsonNode awaitJob(String id, Predicate<JsonNode> done) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        JsonNode j = null;
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> r = get("api/jobs/" + id);
            if (r.statusCode() == 200) {
                j = JSON.readTree(r.body());
                if (done.test(j)) return j;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("job " + id + " did not get there: " + j);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return https.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void awaitStatus(HttpClient https, URI uri, int status) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        int last = -1;
        while (Instant.now().isBefore(deadline)) {
            try {
                last = https.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (last == status) return;
            } catch (IOException e) {
                last = -1; // Caddy not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError(uri + " answered " + last + ", not " + status);
    }

    private static URI wss() {
        return URI.create("wss://" + base.getAuthority() + "/v1/listen?sample_rate=16000&engine=vosk");
    }
}
