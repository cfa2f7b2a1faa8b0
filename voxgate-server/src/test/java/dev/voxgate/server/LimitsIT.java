package dev.voxgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voxgate.testkit.FakeEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Timeouts (with small configured values, no long sleeps), the session cap and backpressure. */
@Timeout(120)
class LimitsIT {

    private static void assertEndedWith(WsClient.Result r, String code, int closeCode) {
        JsonNode error = r.error();
        assertThat(error).as("an error message in %s", r.messages()).isNotNull();
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(r.close().code()).isEqualTo(closeCode);
    }

    @Test
    void inactivityTimeoutEndsTheSessionAfterItsFinals() {
        try (TestServer s = TestServer.streaming(Map.of("INACTIVITY_TIMEOUT_MS", "300"),
                FakeEngine.builder("fake").build());
             WsClient c = WsClient.connect(s.ws("/v1/listen"))) {
            c.awaitType("ready");
            c.sendBinary(new byte[6400]);
            WsClient.Result r = c.awaitClose();
            assertEndedWith(r, "inactivity_timeout", 4002);
            assertThat(r.error().path("message").asText()).contains("INACTIVITY_TIMEOUT_MS=300");
            assertThat(r.finalText()).isEqualTo("tail");
        }
    }

    @Test
    void keepaliveHoldsAnIdleSessionOpen() throws Exception {
        try (TestServer s = TestServer.streaming(Map.of("INACTIVITY_TIMEOUT_MS", "400"),
                FakeEngine.builder("fake").build());
             WsClient c = WsClient.connect(s.ws("/v1/listen"))) {
            c.awaitType("ready");
            for (int i = 0; i < 10; i++) {
                c.sendText("{\"type\":\"keepalive\"}");
                Thread.sleep(100);
            }
            assertThat(c.isClosed()).isFalse();
            c.endStream();
            assertThat(c.awaitClose().close().code()).isEqualTo(1000);
        }
    }

    @Test
    void connectionTimeoutEndsALongSession() throws Exception {
        try (TestServer s = TestServer.streaming(Map.of("CONNECTION_TIMEOUT_MS", "600"),
                FakeEngine.builder("fake").build());
             WsClient c = WsClient.connect(s.ws("/v1/listen"))) {
            c.awaitType("ready");
            for (int i = 0; i < 50 && !c.isClosed(); i++) {
                c.sendBinary(new byte[3200]);
                Thread.sleep(50);
            }
            WsClient.Result r = c.awaitClose();
            assertEndedWith(r, "connection_timeout", 4001);
            assertThat(r.error().path("message").asText()).contains("CONNECTION_TIMEOUT_MS=600");
            assertThat(r.ofType("final")).as("finals of the audio taken").isNotEmpty();
        }
    }

    @Test
    void transcribeTimeoutEndsASessionWhoseFinalsAreLate() {
        FakeEngine slow = FakeEngine.builder("slow").finishDelay(Duration.ofSeconds(3)).build();
        try (TestServer s = TestServer.streaming(Map.of("TRANSCRIBE_TIMEOUT_MS", "300"), slow);
             WsClient c = WsClient.connect(s.ws("/v1/listen"))) {
            c.awaitType("ready");
            c.sendBinary(new byte[6400]).endStream();
            WsClient.Result r = c.awaitClose();
            assertEndedWith(r, "transcribe_timeout", 4003);
            assertThat(s.server().sessions().activeSessions()).isZero();
        }
    }

    @Test
    void overCapacityIsAnsweredBeforeAnyAudioIsTaken() {
        FakeEngine fake = FakeEngine.builder("fake").build();
        try (TestServer s = TestServer.streaming(Map.of("MAX_SESSIONS", "2"), fake);
             WsClient first = WsClient.connect(s.ws("/v1/listen"));
             WsClient second = WsClient.connect(s.ws("/v1/listen"))) {
            first.awaitType("ready");
            second.awaitType("ready");
            try (WsClient third = WsClient.connect(s.ws("/v1/listen"))) {
                WsClient.Result r = third.awaitClose();
                assertEndedWith(r, "over_capacity", 1013);
                assertThat(r.error().path("message").asText()).contains("MAX_SESSIONS");
                assertThat(r.ofType("ready")).isEmpty();
            }
            assertThat(first.stream(new byte[3200], 3200).close().code()).isEqualTo(1000);
            try (WsClient fourth = WsClient.connect(s.ws("/v1/listen"))) {
                assertThat(fourth.stream(new byte[3200], 3200).close().code()).as("a freed slot is reused")
                        .isEqualTo(1000);
            }
            assertThat(s.metric("voxgate_errors_total{code=\"over_capacity\"}")).isEqualTo(1.0);
        }
    }

    @Test
    void fastClientIsSlowedByBackpressureAndNothingIsLost() {
        // Decodes at 0.05 × real time: 60 s of audio sent at once must wait for the decoder, in bounded memory.
        FakeEngine slow = FakeEngine.builder("slow").decodeCostPerSecond(Duration.ofMillis(50)).finalEverySeconds(10)
                .build();
        byte[] minute = new byte[60 * 32000];
        try (TestServer s = TestServer.streaming(Map.of(), slow);
             WsClient c = WsClient.connect(s.ws("/v1/listen"))) {
            WsClient.Result r = c.stream(minute, 32000);
            assertThat(r.close().code()).isEqualTo(1000);
            assertThat(r.ofType("final")).hasSize(6);
            assertThat(slow.bytesAccepted()).isEqualTo(minute.length);
        }
    }
}
