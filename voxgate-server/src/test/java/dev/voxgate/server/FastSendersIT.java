package dev.voxgate.server;

import dev.voxgate.api.EngineException;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.transcribe.OfflineTranscriber;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Four clients send the dev set as fast as the server takes it, on the server's defaults (decoders sized to the
 * cores, TRANSCRIBE_TIMEOUT_MS 10 s) with MAX_SESSIONS 8: each sends a quarter of the set as one long stream, so
 * every session builds a backlog while four share the decoders. Each must be slowed, not failed: every session ends
 * with its finals and a normal close, and together they are as accurate as the engine called directly on the same
 * audio.
 */
@Timeout(900)
class FastSendersIT {
    private static final int CLIENTS = 4;
    private static final int SAMPLE_RATE = 16000;
    /** Silence between clips, so one clip's last words and the next one's first are not heard as one phrase. */
    private static final double GAP_SECONDS = 0.3;
    /**
     * How long a client waits for its close after sending everything: loopback socket buffers take a whole stream
     * at once, so the client is done sending long before the server has read it (the server's own deadline, from
     * reading end_stream to the last final, is TRANSCRIBE_TIMEOUT_MS). Generous, for a loaded machine.
     */
    private static final Duration CLOSE_WITHIN = Duration.ofMinutes(5);
    /** 100 ms frames, as a live client sends them. */
    private static final int FRAME_BYTES = 3200;

    @Test
    void everyFastSenderIsSlowedAndGetsItsFinals() {
        List<Utterance> all = Speech.corpus().atLeastWords(600);
        List<Utterance> streams = new ArrayList<>();
        Map<String, PcmAudio> audio = new HashMap<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            List<Utterance> share = IntStream.range(0, all.size()).filter(i -> i % CLIENTS == client)
                    .mapToObj(all::get).toList();
            PcmAudio joined = concatenate(share);
            String id = "client-" + c;
            streams.add(new Utterance(id, null, joined.seconds(),
                    share.stream().map(Utterance::reference).collect(Collectors.joining(" "))));
            audio.put(id, joined);
        }

        Map<String, String> viaServer;
        long t0 = System.nanoTime();
        try (TestServer server = TestServer.streaming(Map.of("MAX_SESSIONS", "8"), TestEngines.vosk())) {
            viaServer = Speech.forEach(streams, CLIENTS, u -> streamAsFastAsPossible(server, u, audio.get(u.id())));
        }
        double serverSeconds = (System.nanoTime() - t0) / 1e9;

        OfflineTranscriber direct = new OfflineTranscriber(TestEngines.vosk());
        Map<String, String> inProcess = Speech.forEach(streams, 2, u -> {
            try {
                return direct.transcribe(audio.get(u.id()), null).text();
            } catch (EngineException e) {
                throw new AssertionError(e);
            }
        });
        double server = WordErrorRate.corpus(streams, viaServer);
        double engine = WordErrorRate.corpus(streams, inProcess);
        System.out.printf("[fast-senders] %d clients, %.1f s of audio each, done in %.1f s; WER server %.2f%%, "
                + "engine in-process %.2f%%%n", CLIENTS, streams.get(0).seconds(), serverSeconds, server * 100,
                engine * 100);
        assertThat(server - engine).as("aggregate WER through the server %.4f vs the engine %.4f", server, engine)
                .isLessThanOrEqualTo(0.01);
    }

    /** Sends the audio without pacing (each frame as soon as the last is written); returns the finals' text. */
    private static String streamAsFastAsPossible(TestServer server, Utterance u, PcmAudio audio) {
        try (WsClient c = WsClient.connect(server.ws("/v1/listen?sample_rate=" + SAMPLE_RATE))) {
            WsClient.Result r = c.stream(audio.toBytes(), FRAME_BYTES, CLOSE_WITHIN);
            assertThat(r.error()).as("%s: no error; got %s", u.id(), r.messages()).isNull();
            assertThat(r.close().code()).as("%s closes normally: %s", u.id(), r.close()).isEqualTo(1000);
            assertThat(r.ofType("final")).as("%s has its finals", u.id()).isNotEmpty();
            return r.finalText();
        }
    }

    private static PcmAudio concatenate(List<Utterance> clips) {
        short[] gap = new short[(int) (GAP_SECONDS * SAMPLE_RATE)];
        List<short[]> parts = new ArrayList<>();
        for (Utterance u : clips) {
            PcmAudio a = Speech.audio(u);
            parts.add(a.sampleRate() == SAMPLE_RATE ? a.samples() : a.resampledTo(SAMPLE_RATE).samples());
            parts.add(gap);
        }
        short[] out = new short[parts.stream().mapToInt(p -> p.length).sum()];
        int pos = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return new PcmAudio(SAMPLE_RATE, out);
    }
}
