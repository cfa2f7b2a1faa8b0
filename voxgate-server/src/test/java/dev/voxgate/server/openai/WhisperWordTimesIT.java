package dev.voxgate.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.api.EngineContext;
import dev.voxgate.audio.WavWriter;
import dev.voxgate.engine.vosk.VoskEngineProvider;
import dev.voxgate.engine.whisper.WhisperEngineProvider;
import dev.voxgate.server.Multipart;
import dev.voxgate.server.Speech;
import dev.voxgate.server.TestEngines;
import dev.voxgate.server.TestServer;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.testkit.SpeechCorpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Word times for Whisper's words through {@code POST /v1/audio/transcriptions}, with the real engines
 * loaded as {@code voxgate serve} loads them (Whisper the file engine, Vosk timing its words), on dev
 * speech joined into one recording of several segments: {@code verbose_json} words, and SRT cues cut by
 * the cue rules, default and asked for; and a batch job that asks for word times.
 */
@Timeout(900)
class WhisperWordTimesIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double MS = 0.0011; // times are answered to the millisecond
    private static TestServer server;
    private static byte[] wav;

    @BeforeAll
    static void start() throws Exception {
        EngineRegistry registry = EngineRegistry.loading("vosk",
                List.of(new VoskEngineProvider(), new WhisperEngineProvider()),
                new EngineContext(Map.of(), TestEngines.cacheDir()));
        assertThat(registry.awaitLoaded(5, TimeUnit.MINUTES)).isTrue();
        assertThat(registry.defaultFileEngine()).isEqualTo("whisper");
        server = TestServer.start(Map.of(), registry);
        // 0.8 s between clips: separate Whisper segments
        short[] all = SpeechCorpus.joined(Speech.corpus().first(6), 0.8).samples();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WavWriter.write(out, 16_000, 1, all);
        wav = out.toByteArray();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static HttpResponse<String> post(String... fields) throws Exception {
        Multipart form = new Multipart().file("file", "talk.wav", wav);
        for (int i = 0; i < fields.length; i += 2) form.field(fields[i], fields[i + 1]);
        return HTTP.send(form.post(server.http("/v1/audio/transcriptions")), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void verboseJsonWithWordGranularityTimesWhispersWords() throws Exception {
        HttpResponse<String> r = post("response_format", "verbose_json", "timestamp_granularities[]", "word",
                "timestamp_granularities[]", "segment");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        JsonNode segments = body.path("segments");
        JsonNode words = body.path("words");
        int written = body.path("text").asText().strip().split("\\s+").length;
        System.out.printf("[whisper-words] %d segments, %d words of %d timed%n", segments.size(), words.size(),
                written);
        assertThat(segments.size()).isGreaterThan(1);
        assertThat(words.size()).as("Whisper's words with times").isGreaterThanOrEqualTo((int) (0.9 * written));
        double previousEnd = 0;
        for (JsonNode w : words) {
            double start = w.path("start").asDouble();
            double end = w.path("end").asDouble();
            assertThat(end).isGreaterThanOrEqualTo(start);
            assertThat(start).as("monotonic: %s", w).isGreaterThanOrEqualTo(previousEnd - MS);
            boolean inASegment = false;
            for (JsonNode s : segments) {
                inASegment |= start >= s.path("start").asDouble() - MS && end <= s.path("end").asDouble() + MS;
            }
            assertThat(inASegment).as("within a segment's bounds: %s", w).isTrue();
            previousEnd = end;
        }
    }

    @Test
    void withoutWordGranularityThereAreNoWords() throws Exception {
        HttpResponse<String> r = post("response_format", "verbose_json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).has("words")).isFalse();
    }

    private record Cue(double start, double end, List<String> lines) {
    }

    private static List<Cue> srtCues(String srt) {
        List<Cue> cues = new ArrayList<>();
        for (String block : srt.strip().split("\n\n")) {
            String[] l = block.split("\n");
            String[] times = l[1].split(" --> ");
            cues.add(new Cue(seconds(times[0]), seconds(times[1]), List.of(l).subList(2, l.length)));
        }
        return cues;
    }

    private static double seconds(String srtTime) {
        String[] p = srtTime.replace(',', ':').split(":");
        return Integer.parseInt(p[0]) * 3600 + Integer.parseInt(p[1]) * 60 + Integer.parseInt(p[2])
                + Integer.parseInt(p[3]) / 1000.0;
    }

    private static void assertCuesObey(List<Cue> cues, int lineChars, double cueSeconds) {
        assertThat(cues).isNotEmpty();
        double previousEnd = 0;
        for (Cue c : cues) {
            assertThat(c.lines()).hasSizeBetween(1, 2);
            assertThat(c.lines()).allSatisfy(l -> assertThat(l.length() <= lineChars || !l.contains(" "))
                    .as("line '%s' fits %d characters", l, lineChars).isTrue());
            assertThat(c.end() - c.start()).isLessThanOrEqualTo(cueSeconds + MS);
            assertThat(c.start()).isGreaterThanOrEqualTo(previousEnd - MS);
            previousEnd = c.end();
        }
    }

    @Test
    void srtCuesFollowTheDefaultRulesAndTheOnesAskedFor() throws Exception {
        HttpResponse<String> text = post("response_format", "text");
        HttpResponse<String> plain = post("response_format", "srt");
        HttpResponse<String> narrow = post("response_format", "srt", "max_line_chars", "20",
                "max_cue_seconds", "2.5");
        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
        assertThat(narrow.statusCode()).as(narrow.body()).isEqualTo(200);
        List<Cue> cues = srtCues(plain.body());
        List<Cue> narrowCues = srtCues(narrow.body());
        System.out.printf("[whisper-words] srt: %d cues by default, %d at 20 characters and 2.5 s%n", cues.size(),
                narrowCues.size());
        assertCuesObey(cues, 42, 7);
        assertCuesObey(narrowCues, 20, 2.5);
        assertThat(narrowCues.size()).isGreaterThan(cues.size());
        // The cues hold the transcript's words, all of them, in order.
        for (List<Cue> c : List.of(cues, narrowCues)) {
            assertThat(String.join(" ", c.stream().flatMap(x -> x.lines().stream()).toList()))
                    .isEqualTo(text.body().strip());
        }
    }

    @Test
    void aJobThatAsksForWordTimesHasThemInItsJson() throws Exception {
        Multipart form = new Multipart().file("file", "talk.wav", wav).field("formats", "json,srt")
                .field("word_timestamps", "true");
        HttpResponse<String> r = HTTP.send(form.post(server.http("/api/jobs")), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode job = JSON.readTree(r.body());
        assertThat(job.path("wordTimestamps").asBoolean()).isTrue();
        String id = job.path("id").asText();
        for (int i = 0; i < 1500 && !Set.of("succeeded", "failed").contains(job.path("status").asText()); i++) {
            Thread.sleep(200); // polled as a client does
            job = JSON.readTree(server.get("/api/jobs/" + id).body());
        }
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        JsonNode transcript = JSON.readTree(server.get("/api/jobs/" + id + "/transcript.json").body());
        assertThat(transcript.path("engine").asText()).isEqualTo("whisper");
        int timed = 0;
        for (JsonNode s : transcript.path("segments")) timed += s.path("words").size();
        int written = transcript.path("text").asText().strip().split("\\s+").length;
        // A segment whose words the two engines hear too differently has none (WordAligner).
        assertThat(timed).as("Whisper's words with times").isGreaterThanOrEqualTo((int) (0.9 * written));

        Multipart maybe = new Multipart().file("file", "talk.wav", wav).field("word_timestamps", "maybe");
        HttpResponse<String> bad = HTTP.send(maybe.post(server.http("/api/jobs")),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
        assertThat(bad.body()).contains("invalid_parameter").contains("word_timestamps");
    }

    @Test
    void badCueRulesAreRefusedNamingTheField() throws Exception {
        for (String[] bad : List.of(new String[] {"max_line_chars", "wide"}, new String[] {"max_line_chars", "5"},
                new String[] {"max_cue_seconds", "0"}, new String[] {"max_cue_seconds", "NaN"})) {
            HttpResponse<String> r = post("response_format", "srt", bad[0], bad[1]);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            JsonNode e = JSON.readTree(r.body()).path("error");
            assertThat(e.path("code").asText()).isEqualTo("invalid_parameter");
            assertThat(e.path("param").asText()).isEqualTo(bad[0]);
            assertThat(e.path("message").asText()).startsWith(bad[0] + " must be").contains("'" + bad[1] + "'");
        }
    }
}
