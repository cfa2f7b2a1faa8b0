package dev.voxgate.cli;

import dev.voxgate.server.Speech;
import dev.voxgate.server.TestEngines;
import dev.voxgate.server.TestServer;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(120)
class StreamCommandIT {

    @Test
    void printsPartialsAndFinalsFromARunningServer() {
        Utterance u = Speech.corpus().utterances().stream().filter(x -> x.seconds() > 4).findFirst().orElseThrow();
        try (TestServer s = TestServer.streaming(Map.of(), TestEngines.vosk())) {
            CliRun r = CliRun.of("stream", s.ws("/v1/listen").toString(), u.wav().toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).contains("[ready]").contains("[partial]");
            String text = r.out().lines().map(l -> l.replaceFirst("^\\[[0-9.]+-[0-9.]+\\] ", ""))
                    .collect(Collectors.joining(" "));
            assertThat(WordErrorRate.corpus(List.of(u), Map.of(u.id(), text))).as(r.out()).isLessThan(0.35);
        }
    }

    @Test
    void realtimePacingTakesAsLongAsTheAudio() {
        Utterance u = Speech.corpus().utterances().stream().filter(x -> x.seconds() < 3).findFirst().orElseThrow();
        try (TestServer s = TestServer.streaming(Map.of(), TestEngines.vosk())) {
            long t0 = System.nanoTime();
            CliRun r = CliRun.of("stream", s.ws("/v1/listen").toString(), u.wav().toString(), "--realtime",
                    "--no-partials");
            double took = (System.nanoTime() - t0) / 1e9;
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(took).isGreaterThanOrEqualTo(u.seconds() - 0.15);
            assertThat(r.err()).doesNotContain("[partial]");
        }
    }

    @Test
    void serverErrorsAreShownAndFailTheCommand() {
        Utterance u = Speech.corpus().utterances().get(0);
        try (TestServer s = TestServer.streaming(Map.of(), TestEngines.vosk())) {
            CliRun r = CliRun.of("stream", s.ws("/v1/listen?engine=nope").toString(), u.wav().toString());
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).contains("unknown_engine");
        }
    }

    @Test
    void unreachableServerIsAClearError() {
        Utterance u = Speech.corpus().utterances().get(0);
        CliRun r = CliRun.of("stream", "ws://127.0.0.1:9/v1/listen", u.wav().toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("cannot connect");
    }
}
