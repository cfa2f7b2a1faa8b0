package dev.voxgate.dist;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.api.EngineContext;
import dev.voxgate.api.StreamingEngine;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.WavWriter;
import dev.voxgate.audio.ffmpeg.Encoding;
import dev.voxgate.audio.transcribe.OfflineTranscriber;
import dev.voxgate.engine.vosk.VoskEngineProvider;
import dev.voxgate.engine.whisper.WhisperEngineProvider;
import dev.voxgate.server.Multipart;
import dev.voxgate.server.WsClient;
import dev.voxgate.testkit.SpeechCorpus;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository's Dockerfile, built with podman on a minimal Debian root (debootstrap --variant=minbase: no
 * Java, no desktop or sound libraries) and run for real: everything is checked from the host through the
 * published port, as a user of the image would. Accuracy is held to the raw engines run in this JVM on the
 * same audio, so the bounds hold on whichever speech the tests have.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMAGE = Images.VOXGATE;
    /** How far the container may fall behind the raw engine on the same audio, in WER points. */
    private static final double STREAM_POINTS = 2.0, LOSSY_FILE_POINTS = 3.0;

    @TempDir
    static Path dir;
    private static String container;
    private static URI base;
    private static PcmAudio speech;
    private static Utterance joined;
    private static double rawVosk, rawWhisper;

    @BeforeAll
    static void buildAndStart() throws Exception {
        Images.requireContainers("container");
        Images.voxgate();

        prepareSpeechAndBaseline();

        container = "voxgate-it-" + UUID.randomUUID().toString().substring(0, 8);
        long started = System.nanoTime();
        Podman.output(Duration.ofMinutes(2), "run", "-d", "--name", container, "-p", "127.0.0.1::8080", IMAGE);
        String published = Podman.output(Duration.ofMinutes(1), "port", container, "8080/tcp").lines().findFirst()
                .orElseThrow();
        base = URI.create("http://" + published.strip() + "/");
        DistributionIT.awaitReady(base.resolve("ready"), null, null);
        System.out.printf("[container] %s ready in %.1f s at %s%n", container, (System.nanoTime() - started) / 1e9,
                base);
    }

    /**
     * Several utterances joined into one recording (the files route then decodes one real-length upload), and the raw
     * engines' WER on it.
     */
    private static void prepareSpeechAndBaseline() throws Exception {
        List<Utterance> chosen = new ArrayList<>();
        double seconds = 0;
        for (Utterance u : SpeechCorpus.load().utterances()) {
            if (seconds + u.seconds() > 45) break;
            chosen.add(u);
            seconds += u.seconds();
        }
        assertThat(chosen).as("test speech").isNotEmpty();
        speech = SpeechCorpus.joined(chosen, 0.5);
        Path wav = dir.resolve("speech.wav");
        WavWriter.write(wav, speech);
        joined = new Utterance("joined", wav, speech.seconds(),
                String.join(" ", chosen.stream().map(Utterance::reference).toList()));

        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "voxgate-test-cache");
        try (StreamingEngine vosk = (StreamingEngine) new VoskEngineProvider()
                .create(new EngineContext(Map.of(), cache));
             StreamingEngine whisper = (StreamingEngine) new WhisperEngineProvider()
                     .create(new EngineContext(Map.of(), cache))) {
            rawVosk = basic(new OfflineTranscriber(vosk).transcribe(speech, null).text());
            rawWhisper = normalised(new OfflineTranscriber(whisper).transcribe(speech, null).text());
        }
        System.out.printf("[container] %d utterances, %.1f s; raw engines in this JVM: "
                + "vosk %.2f%%, whisper %.2f%% (normalised)%n",
                chosen.size(), joined.seconds(), rawVosk, rawWhisper);
    }

    @AfterAll
    static void remove() {
        if (container != null) {
            System.out.println("[container] log tail:\n"
                    + Command.tail(Podman.run(Duration.ofMinutes(1), "logs", container).all()));
            Podman.run(Duration.ofMinutes(2), "rm", "-f", "-t", "5", container);
        }
        // The build's first stage (about 870 MB) stays behind as an untagged image; each run would add one.
        Podman.run(Duration.ofMinutes(2), "image", "prune", "-f");
    }

    @Test
    @Order(1)
    void runsAsANonRootUser() {
        String uid = Podman.output(Duration.ofMinutes(1), "exec", container, "id", "-u");
        assertThat(uid).isNotEqualTo("0");
        String status = Podman.output(Duration.ofMinutes(1), "exec", container, "cat", "/proc/1/status");
        assertThat(status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow())
                .as("the server process (PID 1)").doesNotContainPattern("\\s0\\s");
        assertThat(Podman.run(Duration.ofMinutes(1), "exec", container, "sh", "-c",
                "command -v java || ls /usr/lib/jvm").exitCode())
                .as("no Java installed in the image outside the bundled runtime").isNotEqualTo(0);
    }

    @Test
    @Order(2)
    void healthCheckReportsHealthy() {
        Podman.run(Duration.ofMinutes(1), "healthcheck", "run", container).orFail("podman healthcheck run");
        assertThat(Podman.output(Duration.ofMinutes(1), "inspect", "--format", "{{.State.Health.Status}}", container))
                .isEqualTo("healthy");
    }

    @Test
    @Order(3)
    void streamsAWavOverTheNativeProtocol() {
        WsClient.Result r;
        try (WsClient ws = WsClient.connect(URI.create("ws://" + base.getAuthority()
                + "/v1/listen?sample_rate=16000&engine=vosk"))) {
            r = ws.stream(pcm(speech.samples()), 3_200);
        }
        assertThat(r.close().code()).as("%s", r.messages()).isEqualTo(1000);
        double wer = basic(r.finalText());
        System.out.printf("[container] /v1/listen: %.2f%% (raw vosk %.2f%%)%n", wer, rawVosk);
        assertThat(wer).as("streamed WER vs raw Vosk %.2f%%: %s", rawVosk, r.finalText())
                .isLessThanOrEqualTo(rawVosk + STREAM_POINTS);
    }

    @ParameterizedTest
    @EnumSource(value = Encoding.class, names = {"MP3", "M4A", "OGG_VORBIS"})
    @Order(4)
    void transcribesCompressedUploads(Encoding encoding) throws Exception {
        Path file = encoding.encode(dir.resolve("speech." + encoding.extension), 16_000, speech.samples());
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response =
                    http.send(new Multipart().field("model", "whisper-1").field("response_format", "json")
                    .file("file", "upload." + encoding.extension, Files.readAllBytes(file))
                    .post(base.resolve("v1/audio/transcriptions")),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            String text = JSON.readTree(response.body()).path("text").asText();
            double wer = normalised(text);
            System.out.printf("[container] %s upload: %.2f%% (raw whisper on the WAV %.2f%%)%n", encoding, wer,
                    rawWhisper);
            assertThat(wer).as("%s upload WER vs raw Whisper %.2f%%: %s", encoding, rawWhisper, text)
                    .isLessThanOrEqualTo(rawWhisper + LOSSY_FILE_POINTS);
        }
    }

    /**
     * Last: stops the container. The session open at SIGTERM is told at once ({@code notice}), still gets the finals
     * of what it sent, then 1001.
     */
    @Test
    @Order(9)
    void sigtermDrainsOpenSessions() throws IOException {
        try (WsClient ws = WsClient.connect(URI.create("ws://" + base.getAuthority()
                + "/v1/listen?sample_rate=16000&engine=vosk"))) {
            ws.awaitType("ready");
            byte[] audio = pcm(speech.samples());
            int half = Math.min(audio.length, 16_000 * 2 * 6) & ~1; // about six seconds of speech
            for (int pos = 0; pos < half; pos += 3_200) ws.sendBinary(audio, pos, Math.min(3_200, half - pos));
            ws.awaitType("partial");
            Podman.output(Duration.ofMinutes(1), "kill", "--signal", "TERM", container);
            assertThat(ws.awaitType("notice").path("code").asText()).as("told at once").isEqualTo("server_shutdown");
            WsClient.Result r = ws.awaitClose();
            assertThat(r.finalText()).as("finals of the audio sent before SIGTERM: %s", r.messages()).isNotBlank();
            assertThat(r.error()).isNotNull();
            assertThat(r.error().path("code").asText()).isEqualTo("server_shutdown");
            assertThat(r.close().code()).isEqualTo(1001);
        }
        Podman.run(Duration.ofMinutes(1), "wait", container);
        String state =
                Podman.output(Duration.ofMinutes(1), "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}",
                        container);
        assertThat(state).as("stopped by SIGTERM through the JVM's shutdown hook (128+15)")
                .matches("(exited|stopped) (0|143)");
    }

    private static double basic(String hypothesis) {
        return 100 * WordErrorRate.corpus(List.of(joined), Map.of(joined.id(), hypothesis));
    }

    private static double normalised(String hypothesis) {
        return 100 * WordErrorRate.normalizedCorpus(List.of(joined), Map.of(joined.id(), hypothesis));
    }

    private static byte[] pcm(short[] samples) {
        ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : samples) b.putShort(s);
        return b.array();
    }
}
