package dev.voxgate.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.audio.WavWriter;
import dev.voxgate.server.Docs;
import dev.voxgate.server.Multipart;
import dev.voxgate.server.TestServer;
import dev.voxgate.server.WsClient;
import dev.voxgate.testkit.FakeEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The operator's recipes under {@code deploy/observability/}: the alert rules pass Prometheus's own checker and
 * their unit tests ({@code promtool}, from Debian's {@code prometheus} package, which scripts/test installs), and
 * every metric the rules and the Grafana dashboard query is one a running server publishes — so renaming a metric
 * breaks this test, not an operator's dashboard.
 */
class ObservabilityRecipesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** A metric name in PromQL: an identifier followed by a selector, a range or the end of a term. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:voxgate|process|jvm|system)_[a-z0-9_]+)\\b");

    private static Path recipes() {
        return Docs.root().resolve("deploy/observability");
    }

    @Test
    void alertRulesPassPromtoolAndTheirUnitTests() throws Exception {
        assertThat(promtool("check", "rules", "alerts.yml")).contains("SUCCESS");
        assertThat(promtool("test", "rules", "alerts-test.yml")).contains("SUCCESS");
    }

    @Test
    void everyMetricTheRulesAndTheDashboardQueryIsPublished(@TempDir Path dir) throws Exception {
        Set<String> queried = new TreeSet<>();
        queried.addAll(metrics(Files.readString(recipes().resolve("alerts.yml"))));
        JsonNode dashboard = JSON.readTree(recipes().resolve("grafana-dashboard.json").toFile());
        List<String> exprs = new ArrayList<>();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        dashboard.path("templating").path("list").forEach(v -> exprs.add(v.path("definition").asText()));
        assertThat(exprs).as("the dashboard's queries").hasSizeGreaterThan(10);
        exprs.forEach(e -> queried.addAll(metrics(e)));

        try (TestServer s = TestServer.start(Map.of("DATA_DIR", dir.toString()), FakeEngine.builder("fake").build())) {
            // One of everything the recipes look at: a stream, a refused one, a file, an HTTP answer.
            try (WsClient c = WsClient.connect(s.ws("/v1/listen"))) {
                assertThat(c.stream(new byte[32000], 3200).close().code()).isEqualTo(1000);
            }
            try (WsClient c = WsClient.connect(s.ws("/v1/listen?sample_rate=abc"))) {
                c.awaitClose();
            }
            ByteArrayOutputStream wav = new ByteArrayOutputStream();
            WavWriter.write(wav, 16000, 1, new short[16000]);
            HttpResponse<String> file = HTTP.send(new Multipart().field("model", "whisper-1")
                    .file("file", "a.wav", wav.toByteArray()).post(s.http("/v1/audio/transcriptions")),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(file.statusCode()).isEqualTo(200);
            String scrape = s.get("/metrics").body();
            Set<String> published = new TreeSet<>();
            for (String line : scrape.split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                published.add(line.split("[{ ]", 2)[0]);
            }
            assertThat(queried).as("metrics the recipes query").isNotEmpty()
                    .allSatisfy(m -> assertThat(published).as("%s is published", m).contains(m));
        }
    }

    static Set<String> metrics(String promql) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(promql);
        while (m.find()) names.add(m.group(1));
        return names;
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("promtool");
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).directory(recipes().toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("promtool is not installed: the alert rules cannot be checked. Install Debian's prometheus "
                    + "package (scripts/test does): " + e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool %s:%n%s", String.join(" ", args), out).isZero();
        return out;
    }
}
