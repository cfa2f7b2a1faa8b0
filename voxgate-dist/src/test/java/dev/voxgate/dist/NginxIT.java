package dev.voxgate.dist;

import dev.voxgate.server.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/nginx/voxgate.conf for real: Debian's nginx with the shipped file (only its certificate paths, ports and
 * upstream address replaced, and its IPv6 listens dropped) in front of the archive's {@code bin/voxgate serve}, a
 * self-signed certificate made here. Everything goes through nginx's HTTPS. Each test's client comes from its own
 * loopback address (127.0.0.x), so nginx's per-address limits do not mix and Voxgate's audit line can show whose
 * address nginx passed on.
 */
class NginxIT {
    private static final double POINTS = 2.0;
    private static final String SHIPPED = "deploy/nginx/voxgate.conf";
    @TempDir
    static Path dir;
    private static Process voxgate;
    private static Process nginx;
    private static Path voxgateLog;
    private static Path nginxDir;
    private static int httpsPort;
    private static SSLContext tls;
    private static SpeechSample speech;

    @BeforeAll
    static void up() throws Exception {
        Path nginxBin = Path.of("/usr/sbin/nginx");
        assertThat(nginxBin).as("Debian's nginx-light (scripts/test installs it)").isExecutable();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // nginx's workers (nobody)
        Path home = unpack();
        int voxgatePort = freePort();
        voxgateLog = dir.resolve("voxgate.log");
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", dir.resolve("home").toString());
        env.put("VOXGATE_CACHE_DIR", Path.of(System.getProperty("java.io.tmpdir"), "voxgate-test-cache", "dist")
                .toString());
        env.put("DATA_DIR", dir.resolve("data").toString());
        env.put("PORT", Integer.toString(voxgatePort));
        env.put("HOST", "127.0.0.1");
        // As the recipe says: believe nginx's X-Forwarded-For. Voxgate's upload limit is off: any 429 is nginx's.
        env.put("TRUSTED_PROXIES", "127.0.0.1/32");
        env.put("UPLOADS_PER_MINUTE", "0");
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/voxgate").toString(), "serve")
                .redirectErrorStream(true).redirectOutput(voxgateLog.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        voxgate = pb.start();
        speech = SpeechSample.of(dir, "nginx", 0, 30);
        System.out.printf("[nginx] speech %.1f s (%d utterances); raw vosk %.2f%%%n", speech.audio().seconds(),
                speech.parts(), speech.rawVosk());
        DistributionIT.awaitReady(URI.create("http://127.0.0.1:" + voxgatePort + "/ready"), voxgate, voxgateLog);

        nginxDir = Files.createDirectories(dir.resolve("nginx"));
        Path cert = nginxDir.resolve("cert.pem");
        Path key = nginxDir.resolve("key.pem");
        Command.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                cert.toString(), "-days", "2", "-subj", "/CN=localhost", "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1").run(Duration.ofMinutes(1)).orFail("openssl req");
        tls = trusting(cert);
        httpsPort = freePort();
        Files.writeString(nginxDir.resolve("voxgate.conf"), render(Files.readString(
                Path.of(System.getProperty("voxgate.repo.root")).resolve(SHIPPED)), cert, key, httpsPort, freePort(),
                voxgatePort));
        Path main = nginxDir.resolve("nginx.conf");
        Files.writeString(main, """
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events {}
                http {
                    access_log %1$s/access.log;
                    include %1$s/voxgate.conf;
                }
                """.formatted(nginxDir));
        Command.Result test = Command.of(nginxBin.toString(), "-t", "-p", nginxDir.toString(), "-c", main.toString())
                .run(Duration.ofMinutes(1));
        System.out.println("[nginx] nginx -t: " + test.all().strip());
        test.orFail("nginx -t");
        assertThat(test.all()).contains("test is successful");
        nginx = new ProcessBuilder(nginxBin.toString(), "-p", nginxDir.toString(), "-c", main.toString(), "-g",
                "daemon off;").redirectErrorStream(true).redirectOutput(nginxDir.resolve("stdout.log").toFile())
                .start();
        awaitListening(httpsPort);
    }

    /** The shipped file with this test's certificate, ports and upstream: each replaced text must be there. */
    static String render(String conf, Path cert, Path key, int https, int http, int upstream) {
        String out = conf;
        out = replaceOnce(out, "/etc/letsencrypt/live/stt.example.com/fullchain.pem", cert.toString());
        out = replaceOnce(out, "/etc/letsencrypt/live/stt.example.com/privkey.pem", key.toString());
        out = replaceOnce(out, "listen 443 ssl http2;", "listen 127.0.0.1:" + https + " ssl http2;");
        out = replaceOnce(out, "listen 80;", "listen 127.0.0.1:" + http + ";");
        out = replaceOnce(out, "listen [::]:443 ssl http2;\n", "");
        out = replaceOnce(out, "listen [::]:80;\n", "");
        out = replaceOnce(out, "server 127.0.0.1:8080;", "server 127.0.0.1:" + upstream + ";");
        return out;
    }

    private static String replaceOnce(String text, String what, String with) {
        int at = text.indexOf(what);
        assertThat(at).as("%s has '%s' once", SHIPPED, what.strip()).isGreaterThanOrEqualTo(0);
        assertThat(text.indexOf(what, at + 1)).as("%s has '%s' once", SHIPPED, what.strip()).isEqualTo(-1);
        return text.substring(0, at) + with + text.substring(at + what.length());
    }

    @AfterAll
    static void down() throws Exception {
        if (nginx != null) {
            nginx.destroy(); // SIGTERM: fast shutdown
            if (!nginx.waitFor(30, TimeUnit.SECONDS)) nginx.destroyForcibly();
        }
        if (voxgate != null) {
            voxgate.destroy();
            if (!voxgate.waitFor(60, TimeUnit.SECONDS)) voxgate.destroyForcibly();
        }
        if (nginxDir != null && Files.exists(nginxDir.resolve("error.log"))) {
            System.out.println("[nginx] error.log:\n" + Command.tail(Files.readString(nginxDir.resolve("error.log"))));
        }
    }

    @Test
    void streamsAWavOverWssWithinTwoPointsOfRawVosk() {
        WsClient.Result r;
        try (WsClient ws = WsClient.connect(client("127.0.0.10"), URI.create("wss://localhost:" + httpsPort
                + "/v1/listen?sample_rate=16000"), Map.of())) {
            ws.awaitType("ready");
            byte[] pcm = speech.pcm();
            for (int pos = 0; pos < pcm.length; pos += 3_200) {
                ws.sendBinary(pcm, pos, Math.min(3_200, pcm.length - pos));
            }
            ws.endStream();
            r = ws.awaitClose();
        }
        assertThat(r.close().code()).as("%s", r.messages()).isEqualTo(1000);
        double wer = speech.wer(r.finalText());
        System.out.printf("[nginx] wss://…/v1/listen through nginx: %.2f%% (raw vosk %.2f%%)%n", wer, speech.rawVosk());
        assertThat(wer).as("streamed WER vs raw Vosk %.2f%%: %s", speech.rawVosk(), r.finalText())
                .isLessThanOrEqualTo(speech.rawVosk() + POINTS);
    }

    /**
     * What no short test can wait for (an idle hour): the location that matches each WebSocket route, and only those,
     * has read and send timeouts of 3600 s; the upload location is rate-limited and unbuffered.
     */
    @Test
    void webSocketRoutesGetAnHourAndUploadsAreLimited() throws IOException {
        String conf = Files.readString(nginxDir.resolve("voxgate.conf"));
        Matcher ws = Pattern.compile("location ~ (\\S+) \\{([^}]*)}").matcher(conf);
        Map<String, String> locations = new HashMap<>();
        while (ws.find()) locations.put(ws.group(1), ws.group(2));
        String wsBlock = null;
        String uploadBlock = null;
        for (var e : locations.entrySet()) {
            if (Pattern.matches(e.getKey(), "/v1/listen")) wsBlock = e.getValue();
            if (Pattern.matches(e.getKey(), "/api/jobs")) uploadBlock = e.getValue();
            if (Pattern.matches(e.getKey(), "/v1/listen")) {
                for (String route : List.of("/api/asr", "/vosk", "/whisperlive", "/v1/realtime", "/api/tts_streaming",
                        "/api/chat")) {
                    assertThat(Pattern.matches(e.getKey(), route)).as("%s is a WebSocket route", route).isTrue();
                }
                for (String route : List.of("/api/jobs", "/v1/listen/x", "/", "/api/sessions/1/audio.wav")) {
                    assertThat(Pattern.matches(e.getKey(), route)).as("%s is not", route).isFalse();
                }
            }
        }
        assertThat(wsBlock).as("a location for /v1/listen").isNotNull()
                .contains("proxy_read_timeout 3600s;").contains("proxy_send_timeout 3600s;");
        assertThat(uploadBlock).as("a location for /api/jobs").isNotNull()
                .contains("limit_req zone=voxgate_uploads").contains("proxy_request_buffering off;");
        assertThat(conf).contains("proxy_set_header Upgrade $http_upgrade;")
                .contains("proxy_set_header X-Forwarded-Proto $scheme;");
    }

    @Test
    void anUploadOverTheBodyLimitIsRefusedByNginxBeforeItsBodyIsSent() throws Exception {
        long tooBig = 200L * 1024 * 1024 + 1; // client_max_body_size 200m, MAX_FILE_SIZE_MB's default
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.11"), 0));
            s.connect(new InetSocketAddress("127.0.0.1", httpsPort), 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/audio/transcriptions HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                    + "multipart/form-data; boundary=b\r\nContent-Length: " + tooBig + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readHead(s.getInputStream());
            assertThat(answer).as("nginx's answer, with no body sent").startsWith("HTTP/1.1 413");
        }
        assertThat(Files.readString(voxgateLog)).as("the request never reached Voxgate")
                .doesNotContain("ip=127.0.0.11");
    }

    @Test
    void aBurstOfUploadsIsRateLimitedByNginx() throws Exception {
        HttpClient http = client("127.0.0.12");
        List<Integer> statuses = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base().resolve("/api/jobs"))
                    .header("Content-Type", "multipart/form-data; boundary=b")
                    .POST(HttpRequest.BodyPublishers.ofString("--b\r\nContent-Disposition: form-data; name=\"file\"; "
                            + "filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\nnot audio\r\n--b--\r\n"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            statuses.add(r.statusCode());
            bodies.add(r.body());
        }
        System.out.println("[nginx] a burst of 10 uploads: " + statuses);
        // rate=10r/m with burst=5 nodelay: the first and five more pass at once, the rest wait their turn (refused).
        assertThat(statuses.subList(0, 6)).as("reached Voxgate (which refuses text named .wav)").doesNotContain(429);
        assertThat(statuses.subList(6, 10)).containsOnly(429);
        assertThat(bodies.get(9)).as("nginx's own page, not Voxgate's JSON").contains("nginx");
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(base().resolve("/api/jobs")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).as("GET /api/jobs is not an upload: not limited").isEqualTo(200);
    }

    @Test
    void metricsIsNotPublicAndVoxgatesSecurityHeadersPassThrough() throws Exception {
        HttpClient http = client("127.0.0.13");
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(base().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(404);
        assertThat(metrics.body()).doesNotContain("voxgate_");
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(base().resolve("/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).as("Voxgate's CSP").isPresent();
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.headers().allValues("Strict-Transport-Security")).as("one HSTS header, nginx's")
                .containsExactly("max-age=31536000; includeSubDomains");
        assertThat(page.headers().firstValue("Server")).as("server_tokens off").contains("nginx");
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(base().resolve("/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
    }

    @Test
    void voxgateSeesTheClientsAddressNotOneTheClientMadeUp() throws Exception {
        HttpClient http = client("127.0.0.14");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base().resolve("/api/build_info"))
                .header("X-Forwarded-For", "203.0.113.9").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String log = "";
        while (System.nanoTime() < deadline) {
            log = Files.readString(voxgateLog);
            if (log.contains("ip=127.0.0.14 GET /api/build_info")) break;
            Thread.sleep(100);
        }
        // nginx connects to Voxgate from 127.0.0.1; the audit line names the client's own address, as nginx saw it.
        assertThat(log).as("Voxgate's audit line").contains("ip=127.0.0.14 GET /api/build_info")
                .doesNotContain("ip=203.0.113.9");
    }

    private static URI base() {
        return URI.create("https://localhost:" + httpsPort + "/");
    }

    private static HttpClient client(String from) {
        try {
            return HttpClient.newBuilder().sslContext(tls).localAddress(InetAddress.getByName(from))
                    .connectTimeout(Duration.ofSeconds(10)).build();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry("nginx", (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            b.append((char) c);
            if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) break;
        }
        return b.toString();
    }

    private static Path unpack() throws IOException {
        Path archive = Path.of(System.getProperty("voxgate.dist.archive"));
        assertThat(archive).as("the archive mvn package makes").isRegularFile();
        Command.of("tar", "xzf", archive.toString()).in(dir).run(Duration.ofMinutes(2)).orFail("tar xzf");
        try (var entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("voxgate-")).findFirst().orElseThrow();
        }
    }

    private static void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!nginx.isAlive()) throw new AssertionError("nginx exited " + nginx.exitValue() + ":\n"
                    + Files.readString(nginxDir.resolve("stdout.log")) + Files.readString(nginxDir.resolve(
                            "error.log")));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("nginx is not listening on " + port);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
