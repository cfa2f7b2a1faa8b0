package dev.voxgate.server.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.audio.Pcm16;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.WavWriter;
import dev.voxgate.audio.ffmpeg.Encoding;
import dev.voxgate.server.Multipart;
import dev.voxgate.server.Speech;
import dev.voxgate.server.TestEngines;
import dev.voxgate.server.TestServer;
import dev.voxgate.server.WsClient;
import dev.voxgate.testkit.Utterance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of the one file-transcription service, seen from outside as a stranger would probe them:
 * hostile headers, long audio, clients that leave, damaged files, and the server's own routes staying
 * up while every file worker is busy. Real server, real Vosk, real FFmpeg, real speech.
 */
@Timeout(600)
class FileTranscriptionIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** 128 KB of noise in a WAV whose header claims {@code rate} Hz (60 Hz reads as 18 minutes, 1 Hz as 17.9 hours). */
    private static byte[] wavClaiming(int rate) {
        byte[] data = new byte[128 * 1024];
        new Random(rate).nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(WavWriter.header(rate, 1, data.length));
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** Real speech repeated to at least {@code seconds}, as 16 kHz mono samples. */
    private static short[] speech(double seconds) {
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        long samples = 0;
        while (samples < seconds * 16_000) {
            for (Utterance u : Speech.corpus().utterances()) {
                short[] s = Speech.audio(u).resampledTo(16_000).samples();
                pcm.writeBytes(Pcm16.toBytes(s));
                samples += s.length;
                if (samples >= seconds * 16_000) break;
            }
        }
        return Pcm16.toSamples(pcm.toByteArray());
    }

    private static byte[] wav(short[] samples) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WavWriter.write(out, 16_000, 1, samples);
        return out.toByteArray();
    }

    private static HttpResponse<String> openAi(TestServer server, String model, byte[] file) throws Exception {
        Multipart form = new Multipart().file("file", "talk.wav", file);
        if (model != null) form.field("model", model);
        return HTTP.send(form.post(server.http("/v1/audio/transcriptions")), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> job(TestServer server, String engine, byte[] file) throws Exception {
        Multipart form = new Multipart().file("file", "talk.wav", file);
        if (engine != null) form.field("engine", engine);
        return HTTP.send(form.post(server.http("/api/jobs")), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode error(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).path("error");
    }

    @Test
    void aHeaderClaimingAnImpossibleSampleRateIsRefusedAtOnceOnBothRoutes() throws Exception {
        try (TestServer server = TestServer.start(Map.of(), TestEngines.vosk())) {
            for (int rate : new int[] {1, 60, 4000, 400_000}) {
                HttpResponse<String> sync = openAi(server, "whisper-1", wavClaiming(rate));
                assertThat(sync.statusCode()).as(sync.body()).isEqualTo(400);
                assertThat(error(sync).path("code").asText()).isEqualTo("unsupported_audio");
                assertThat(error(sync).path("message").asText()).contains(rate + " Hz");
                HttpResponse<String> queued = job(server, null, wavClaiming(rate));
                assertThat(queued.statusCode()).as(queued.body()).isEqualTo(400);
                assertThat(error(queued).path("code").asText()).isEqualTo("unsupported_audio");
            }
            assertThat(server.get("/api/jobs").body()).contains("\"total\":0");
        }
    }

    @Test
    void audioLongerThanMaxAudioMinutesIsAudioTooLong(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(Map.of("MAX_AUDIO_MINUTES", "1"), TestEngines.vosk())) {
            byte[] seventySeconds = wav(speech(70));
            HttpResponse<String> sync = openAi(server, null, seventySeconds);
            assertThat(sync.statusCode()).as(sync.body()).isEqualTo(413);
            assertThat(error(sync).path("code").asText()).isEqualTo("audio_too_long");
            assertThat(error(sync).path("message").asText()).contains("MAX_AUDIO_MINUTES");
            HttpResponse<String> queued = job(server, null, seventySeconds);
            assertThat(queued.statusCode()).as(queued.body()).isEqualTo(413);
            assertThat(error(queued).path("code").asText()).isEqualTo("audio_too_long");

            // A header that hides the length (an mp3 with no length field is estimated from its size; a
            // WAV that says "until the end" is not): the decoded samples are counted too.
            byte[] open = wav(speech(70));
            ByteBuffer.wrap(open, 40, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(0xFFFFFFFF);
            ByteBuffer.wrap(open, 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(0xFFFFFFFF);
            HttpResponse<String> streamed = openAi(server, null, open);
            assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(413);
            assertThat(error(streamed).path("code").asText()).isEqualTo("audio_too_long");

            HttpResponse<String> fine = openAi(server, null, wav(speech(20)));
            assertThat(fine.statusCode()).as(fine.body()).isEqualTo(200);
        }
    }

    @Test
    void opsRoutesAnswerWhileEveryFileWorkerIsBusy() throws Exception {
        int workers = Runtime.getRuntime().availableProcessors();
        try (TestServer server = TestServer.start(Map.of("DECODER_THREADS", String.valueOf(workers)),
                TestEngines.vosk())) {
            byte[] long_ = wav(speech(240));
            List<CompletableFuture<HttpResponse<String>>> running = new ArrayList<>();
            for (int i = 0; i < workers + 1; i++) {
                Multipart form = new Multipart().file("file", "talk.wav", long_).field("model", "vosk");
                running.add(HTTP.sendAsync(form.post(server.http("/v1/audio/transcriptions")),
                        HttpResponse.BodyHandlers.ofString()));
            }
            // A worker is idle for an instant between a file's probe and its decode, so the gauge is asserted on
            // the reading that saw every worker busy, not on a second reading that may fall in that instant.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            double busy = server.metric("voxgate_file_work_active");
            while (busy < workers && System.nanoTime() < deadline) {
                Thread.sleep(50);
                busy = server.metric("voxgate_file_work_active");
            }
            assertThat(busy).as("every file worker busy").isEqualTo(workers);
            for (String path : List.of("/health", "/ready", "/metrics", "/v1/models")) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.http(path))
                        .timeout(Duration.ofSeconds(10))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path).isEqualTo(200);
            }
            PcmAudio utterance = Speech.audio(Speech.corpus().utterances().get(0)).resampledTo(16_000);
            WsClient.Result live = WsClient.connect(server.ws("/v1/listen"))
                    .stream(Pcm16.toBytes(utterance.samples()), 3200);
            assertThat(live.finalText()).as("a live session while files decode").isNotBlank();
            assertThat(running).as("the files were still decoding while the server answered")
                    .anyMatch(f -> !f.isDone());
            for (CompletableFuture<HttpResponse<String>> f : running) assertThat(f.get().statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aSynchronousTranscriptionStopsWhenItsClientLeaves() throws Exception {
        try (TestServer server = TestServer.start(Map.of("DECODER_THREADS", "1"), TestEngines.vosk())) {
            byte[] body;
            String boundary = "voxgate-left";
            ByteArrayOutputStream form = new ByteArrayOutputStream();
            form.writeBytes(("--" + boundary
                    + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"long.wav\"\r\n"
                    + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            form.writeBytes(wav(speech(20 * 60)));
            form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            body = form.toByteArray();
            try (Socket socket = new Socket("127.0.0.1", server.server().port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/audio/transcriptions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                        + "multipart/form-data; boundary="
                        + boundary + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (server.metric("voxgate_file_work_active") < 1 && System.nanoTime() < deadline) Thread.sleep(50);
                assertThat(server.metric("voxgate_file_work_active")).as("the 20-minute file is decoding").isEqualTo(1);
            } // the client leaves
            // Twenty minutes of audio take Vosk minutes on these cores; once the client has gone, the work must stop.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (server.metric("voxgate_file_work_active") > 0 && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(server.metric("voxgate_file_work_active")).as("decoding stopped after the client left").isZero();
            HttpResponse<String> next = openAi(server, "vosk", wav(speech(5)));
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        }
    }

    @Test
    void anMp3WithGarbageAfterAValidStartIsTruncatedFileOnBothRoutes(@TempDir Path dir) throws Exception {
        Utterance u = Speech.corpus().utterances().get(0);
        PcmAudio audio = Speech.audio(u);
        Path mp3 = Encoding.MP3.encode(dir.resolve("talk.mp3"), audio.sampleRate(), audio.samples());
        ByteArrayOutputStream damaged = new ByteArrayOutputStream();
        damaged.writeBytes(Files.readAllBytes(mp3));
        byte[] garbage = new byte[400 * 1024];
        new Random(7).nextBytes(garbage);
        damaged.writeBytes(garbage);
        try (TestServer server = TestServer.start(Map.of(), TestEngines.vosk())) {
            HttpResponse<String> sync = openAi(server, "vosk", damaged.toByteArray());
            assertThat(sync.statusCode()).as(sync.body()).isEqualTo(400);
            assertThat(error(sync).path("code").asText()).isEqualTo("truncated_file");
            HttpResponse<String> queued = job(server, "vosk", damaged.toByteArray());
            assertThat(queued.statusCode()).as(queued.body()).isEqualTo(201);
            String id = JSON.readTree(queued.body()).path("id").asText();
            JsonNode job = JSON.readTree(server.get("/api/jobs/" + id).body());
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!job.path("status").asText().matches("succeeded|failed") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                job = JSON.readTree(server.get("/api/jobs/" + id).body());
            }
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("failed");
            assertThat(job.path("error").path("code").asText()).isEqualTo("truncated_file");
        }
    }
}
