package dev.voxgate.engine.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.server.TestServer;
import dev.voxgate.server.WsClient;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Voxgate in front of a remote engine (with the server's fallback or without), as the remote engines' failure tests
 * drive and check it: streams through it, sessions it refuses, the engine's status, and whether a run that fell back
 * lost any words.
 */
public final class EdgeRuns {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EdgeRuns() {
    }

    /** Streams {@code audio} through {@code edge}'s {@code /v1/listen} as fast as it takes it, then ends the stream. */
    public static WsClient.Result stream(TestServer edge, PcmAudio audio, Duration within) {
        try (WsClient c = WsClient.connect(edge.ws("/v1/listen"))) {
            return c.stream(audio.toBytes(), 3200, within);
        }
    }

    /** A session the server refuses: it sends an error and closes without ready. */
    public static WsClient.Result refused(TestServer edge) {
        try (WsClient c = WsClient.connect(edge.ws("/v1/listen"))) {
            return c.awaitClose(Duration.ofSeconds(30));
        }
    }

    /** The engine's status in {@code /api/modules_info} ({@code ready}, {@code down}), or {@code absent}. */
    public static String status(TestServer edge, String engine) {
        try {
            for (JsonNode e : JSON.readTree(edge.get("/api/modules_info").body()).path("engines")) {
                if (e.path("id").asText().equals(engine)) return e.path("status").asText();
            }
            return "absent";
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Waits up to 20 s: probes run every 100 ms in these tests, but the machine is shared. */
    public static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 20 s: " + what);
            Thread.sleep(50);
        }
    }

    /**
     * Nothing accepted was lost: the run closed normally, without an error, with the uninterrupted run's words (within
     * a tenth, normalised: the engine that took over may cut and spell a few words its own way).
     *
     * @param label printed with both texts, so a failure's log shows what was compared
     */
    public static void sameWordsAs(String uninterrupted, WsClient.Result r, String label) {
        assertThat(r.close().code()).as("%s: messages %s", label, r.messages()).isEqualTo(1000);
        assertThat(r.error()).isNull();
        String text = r.finalText();
        double wer = WordErrorRate.normalizedCorpus(List.of(new Utterance("run", null, 0, uninterrupted)),
                Map.of("run", text));
        System.out.printf("[%s]%n  uninterrupted: %s%n  this run: %s%n", label, uninterrupted, text);
        assertThat(wer).as("%s: '%s' against the uninterrupted '%s'", label, text, uninterrupted)
                .isLessThanOrEqualTo(0.1);
    }

    /** The run fell back once, to {@code fallback}, and lost nothing ({@link #sameWordsAs}). */
    public static void fellBackOnceWithSameWords(String fallback, String uninterrupted, WsClient.Result r,
            String label) {
        assertThat(r.ofType("notice")).as("%s: messages %s", label, r.messages()).hasSize(1).first()
                .satisfies(n -> assertThat(n.path("engine").asText()).isEqualTo(fallback));
        sameWordsAs(uninterrupted, r, label);
    }

    /** Without a fallback: the catalogue's code naming the engine; the remote's own words go to the log only. */
    public static void clearError(WsClient.Result e, String engine) {
        assertThat(e.error()).as("messages %s", e.messages()).isNotNull();
        assertThat(e.error().path("code").asText()).isEqualTo("engine_unavailable");
        assertThat(e.error().path("message").asText()).contains(engine);
        assertThat(e.close().code()).isNotEqualTo(1000);
    }
}
