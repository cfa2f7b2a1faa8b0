package dev.voxgate.engine.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.api.SpeechEngine;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.server.ServerComponents;
import dev.voxgate.server.Speech;
import dev.voxgate.server.TestEngines;
import dev.voxgate.server.TestServer;
import dev.voxgate.server.WsClient;
import dev.voxgate.server.engine.EngineRegistry;
import dev.voxgate.testkit.SpeechCorpus;
import dev.voxgate.testkit.TcpProxy;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The aws-transcribe engine when Transcribe misbehaves: the real SDK against the fake Transcribe made to refuse,
 * break, stall, send a frame that does not parse, refuse the credentials or be over capacity, before the stream or
 * inside it. Every case ends in a fallback to the server's own Vosk ({@code ENGINE_FALLBACK=vosk}) whose finals hold
 * the same words as an uninterrupted run (nothing accepted is lost), or, without a fallback, in a clear
 * {@code engine_unavailable} error; never in a hung session. Timeouts are short
 * (1 s connect; 5 s reply, for a fake that recognises with Vosk on a busy machine).
 */
@Timeout(300)
class AwsTranscribeFailureIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> EDGE = Map.of("MAX_SESSIONS", "16", "TRANSCRIBE_TIMEOUT_MS", "60000",
            "ENGINE_FALLBACK", "vosk");
    private static final Map<String, String> FAST = Map.of("AWS_TRANSCRIBE_CONNECT_TIMEOUT_MS", "1000",
            "AWS_TRANSCRIBE_REPLY_TIMEOUT_MS", "5000", "AWS_TRANSCRIBE_PROBE_INTERVAL_MS", "100");
    /** Two seconds of 16 kHz audio: inside the first utterance (0.3 to 2.85 s). */
    private static final long MID_UTTERANCE = 16000 * 2 * 2;

    private static FakeTranscribe fake;
    private static AwsTranscribeEngine engine;
    private static TestServer edge;
    /** Two recordings with a pause between them: two utterances, about ten seconds. */
    private static PcmAudio speech;
    private static String uninterrupted;

    @BeforeAll
    static void start() throws Exception {
        fake = Recognizer.fake();
        engine = Recognizer.engine(FAST);
        edge = withFallback(engine);
        speech = SpeechCorpus.joined(Speech.corpus().first(2), 1.5);
        WsClient.Result r = stream(edge, speech);
        assertThat(r.ofType("notice")).as("a healthy Transcribe: no fallback; %s", r.messages()).isEmpty();
        uninterrupted = r.finalText();
        assertThat(uninterrupted.split(" ")).hasSizeGreaterThan(8);
    }

    @AfterAll
    static void stop() {
        if (edge != null) edge.close();
        if (engine != null) engine.close();
    }

    @AfterEach
    void behave() {
        fake.behave(new FakeTranscribe.Behaviour.Normal());
    }

    private static TestServer withFallback(SpeechEngine aws) {
        return TestServer.start(EDGE, EngineRegistry.of("aws-transcribe", List.of(aws, TestEngines.vosk())),
                ServerComponents.Jobs.WITHOUT_JOBS);
    }

    private static WsClient.Result stream(TestServer server, PcmAudio audio) {
        try (WsClient c = WsClient.connect(server.ws("/v1/listen"))) {
            return c.stream(audio.toBytes(), 3200, Duration.ofSeconds(60));
        }
    }

    /** A session the server refuses: it sends an error and closes without ready. */
    private static WsClient.Result refused(TestServer server) {
        try (WsClient c = WsClient.connect(server.ws("/v1/listen"))) {
            return c.awaitClose(Duration.ofSeconds(30));
        }
    }

    /** A run that fell back once to Vosk, with the uninterrupted run's words. */
    private static void fellBackWithNothingLost(String what, WsClient.Result r, long ms) {
        assertThat(r.ofType("notice")).as("close %s, messages %s", r.close(), r.messages()).hasSize(1).first()
                .satisfies(n -> assertThat(n.path("engine").asText()).isEqualTo("vosk"));
        assertThat(r.close().code()).as("messages %s", r.messages()).isEqualTo(1000);
        assertThat(r.error()).isNull();
        String text = r.finalText();
        double wer = WordErrorRate.normalizedCorpus(List.of(new Utterance("run", null, 0, uninterrupted)),
                Map.of("run", text));
        System.out.printf("[aws-transcribe failure] %s: fell back, session over in %d ms%n  uninterrupted: %s%n"
                + "  this run: %s%n", what, ms, uninterrupted, text);
        assertThat(wer).as("'%s' against the uninterrupted '%s'", text, uninterrupted).isLessThanOrEqualTo(0.1);
    }

    private static void fallsBack(String what, FakeTranscribe.Behaviour b) {
        fake.behave(b);
        long t0 = System.nanoTime();
        WsClient.Result r = stream(edge, speech);
        fellBackWithNothingLost(what, r, (System.nanoTime() - t0) / 1_000_000);
    }

    private static void clearErrorWithoutFallback(SpeechEngine aws, String what) {
        try (TestServer without = TestServer.streaming(Map.of(), aws)) {
            WsClient.Result e = refused(without);
            assertThat(e.error()).as("messages %s", e.messages()).isNotNull();
            assertThat(e.error().path("code").asText()).isEqualTo("engine_unavailable");
            assertThat(e.close().code()).isNotEqualTo(1000);
            System.out.printf("[aws-transcribe failure] %s without a fallback: %s%n", what, e.error());
        }
    }

    private static String status(TestServer server, String field) throws Exception {
        for (JsonNode e : JSON.readTree(server.get("/api/modules_info").body()).path("engines")) {
            if (e.path("id").asText().equals("aws-transcribe")) return e.path(field).asText();
        }
        return "absent";
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 20 s: " + what);
            Thread.sleep(50);
        }
    }

    @Test
    void aConnectionClosedMidUtteranceContinuesOnVoskWithTheAudioSinceTheLastFinal() {
        fallsBack("connection closed mid-utterance", new FakeTranscribe.Behaviour.CloseAfter(MID_UTTERANCE));
    }

    @Test
    void aTranscribeThatStopsAnsweringIsGivenUpAfterTheReplyTimeout() {
        fallsBack("stalled mid-utterance", new FakeTranscribe.Behaviour.StallAfter(MID_UTTERANCE));
    }

    @Test
    void aFrameThatDoesNotParseEndsInAFallback() {
        fallsBack("malformed event-stream frame", new FakeTranscribe.Behaviour.MalformedAfter(MID_UTTERANCE));
    }

    @Test
    void overCapacityInsideTheStreamFallsBack() {
        fallsBack("LimitExceededException event mid-stream", new FakeTranscribe.Behaviour.ExceptionAfter(
                MID_UTTERANCE, "LimitExceededException", "You have reached your limit of concurrent streams."));
    }

    @Test
    void overCapacityAtTheStartFallsBackAndWithoutAFallbackIsUnavailable() {
        FakeTranscribe.Behaviour full = new FakeTranscribe.Behaviour.Refuse(429, "LimitExceededException",
                "You have reached your limit of concurrent streams, 25.");
        fallsBack("LimitExceededException (HTTP 429) at the start", full);
        fake.behave(full);
        clearErrorWithoutFallback(engine, "LimitExceededException");
    }

    @Test
    void refusedCredentialsFallBackAndWithoutAFallbackAreAClearError() throws Exception {
        try (AwsTranscribeEngine wrong = Recognizer.engine(fake.endpoint(), FAST, StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIANOTTHEKEY0000000", "not-the-secret")));
             TestServer server = withFallback(wrong)) {
            long t0 = System.nanoTime();
            WsClient.Result r = stream(server, speech);
            fellBackWithNothingLost("UnrecognizedClientException (HTTP 403)", r, (System.nanoTime() - t0) / 1_000_000);
            clearErrorWithoutFallback(wrong, "UnrecognizedClientException");
        }
    }

    @Test
    void aRefusedConnectionFallsBackAndWithoutAFallbackIsAClearErrorNotAHang() throws Exception {
        try (TcpProxy closed = TcpProxy.start(1)) {
            closed.goDown();
            try (AwsTranscribeEngine down = Recognizer.engine("http://127.0.0.1:" + closed.port(), FAST,
                    Recognizer.TEST_CREDENTIALS);
                 TestServer server = withFallback(down)) {
                await(() -> {
                    try {
                        return status(server, "status").equals("down");
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }, "aws-transcribe shown down");
                assertThat(server.get("/ready").statusCode()).as("vosk serves").isEqualTo(200);
                long t0 = System.nanoTime();
                fellBackWithNothingLost("connection refused", stream(server, speech),
                        (System.nanoTime() - t0) / 1_000_000);
                clearErrorWithoutFallback(down, "connection refused");
            }
        }
    }

    @Test
    void aBadRequestIsAClearError() throws Exception {
        Map<String, String> french = new HashMap<>(FAST);
        french.put("AWS_TRANSCRIBE_LANGUAGES", "fr"); // fr-FR: a language this Transcribe refuses
        try (AwsTranscribeEngine fr = Recognizer.engine(fake.endpoint(), french, Recognizer.TEST_CREDENTIALS)) {
            clearErrorWithoutFallback(fr, "BadRequestException");
        }
    }

    @Test
    void withoutCredentialsTheEngineIsDownWithAReasonNamingTheChain(@TempDir Path tmp) throws Exception {
        Path empty = Files.writeString(tmp.resolve("credentials"), "");
        ProfileCredentialsProvider none = ProfileCredentialsProvider.builder()
                .profileFile(ProfileFile.builder().content(empty).type(ProfileFile.Type.CREDENTIALS).build())
                .profileName("voxgate-test").build();
        try (AwsTranscribeEngine noCredentials = Recognizer.engine(fake.endpoint(), FAST, none);
             TestServer server = withFallback(noCredentials)) {
            assertThat(noCredentials.isReady()).isFalse();
            assertThat(status(server, "status")).isEqualTo("down");
            assertThat(status(server, "error")).contains("no AWS credentials", "default chain");
            int before = fake.streams();
            long t0 = System.nanoTime();
            fellBackWithNothingLost("no credentials", stream(server, speech), (System.nanoTime() - t0) / 1_000_000);
            assertThat(fake.streams()).as("nothing was sent without credentials").isEqualTo(before);
        }
    }
}
