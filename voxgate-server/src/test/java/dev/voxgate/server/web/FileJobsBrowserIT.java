package dev.voxgate.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.WavWriter;
import dev.voxgate.audio.ffmpeg.Encoding;
import dev.voxgate.server.Multipart;
import dev.voxgate.server.Speech;
import dev.voxgate.server.TestEngines;
import dev.voxgate.server.TestServer;
import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.guard.ApiKeyFile;
import dev.voxgate.testkit.FakeEngine;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Files view in a real headless Chromium against a real server with jobs and the real Vosk engine:
 * eval-set recordings uploaded as mp3, m4a and wav through the page, their transcripts against the job
 * API called directly, refusals in words, cancel and delete, reloads, keys behind a proxy at phone width.
 * Screenshots land in {@code target/browser-artifacts}.
 */
@Timeout(300)
class FileJobsBrowserIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Upload speed the browser is held to where a test watches the bytes go (bytes per second). */
    private static final int SLOW_UPLOAD = 256 * 1024;

    @TempDir
    static Path files;
    /** name on the page → its utterances' reference text. */
    private static final Map<String, String> references = new LinkedHashMap<>();
    private static Path mp3;
    private static Path m4a;
    private static Path wav;

    @TempDir
    Path tmp;
    private ChromeDriver browser;
    private TestServer server;

    /**
     * Short clips as mp3 and m4a (encoded with the project's FFmpeg, as the other tests do: Debian's ffmpeg
     * command is not needed) and a longer wav of several utterances, long enough that its upload and its job
     * take a few seconds each and their progress can be seen moving.
     */
    @BeforeAll
    static void recordings() throws Exception {
        List<Utterance> u = Speech.corpus().first(7);
        PcmAudio first = Speech.audio(u.get(0)).resampledTo(16000);
        mp3 = Encoding.MP3.encode(files.resolve("first clip.mp3"), first.sampleRate(), first.samples());
        references.put("first clip.mp3", u.get(0).reference());
        PcmAudio second = Speech.audio(u.get(1)).resampledTo(16000);
        m4a = Encoding.M4A.encode(files.resolve("second clip.m4a"), second.sampleRate(), second.samples());
        references.put("second clip.m4a", u.get(1).reference());
        List<PcmAudio> parts = new ArrayList<>();
        PcmAudio pause = new PcmAudio(16000, new short[8000]);
        for (Utterance x : u.subList(2, u.size())) {
            parts.add(Speech.audio(x).resampledTo(16000));
            parts.add(pause);
        }
        wav = files.resolve("several clips.wav");
        WavWriter.write(wav, concat(parts));
        references.put("several clips.wav", u.subList(2, u.size()).stream().map(Utterance::reference)
                .collect(Collectors.joining(" ")));
        System.out.printf("[files] mp3 %d KB, m4a %d KB, wav %d KB (%.1f s)%n", Files.size(mp3) >> 10,
                Files.size(m4a) >> 10, Files.size(wav) >> 10, concat(parts).seconds());
    }

    @AfterEach
    void tearDown() {
        Chromium.quit(browser, tmp.resolve("profile"));
        if (server != null) server.close();
    }

    /**
     * Three recordings at once through the page: each upload's bytes-sent bar moves, each job goes queued →
     * running → done, the transcripts on the page score as the job API's own for the same files, the
     * downloads are the server's files, a time plays the audio from there, and the list is there after a reload.
     */
    @Test
    void uploadsMp3M4aAndWavAndShowsTheTranscriptsTheApiGives() throws Exception {
        server = TestServer.start(Map.of("WORKER_CONCURRENCY", "1"), TestEngines.vosk(),
                FakeEngine.builder("fake").build());
        Path downloads = Files.createDirectories(tmp.resolve("downloads"));
        browser = Chromium.launch(Chromium.Microphone.NONE, null, tmp.resolve("profile"), downloads,
                List.of("--autoplay-policy=no-user-gesture-required"));
        openFiles(server.http("/#files").toString());
        assertThat(text("limits")).contains("mp3").contains("200 MB");
        assertThat(byCss(".engine-choice").isDisplayed()).as("two engines installed: a choice").isTrue();
        assertThat(new Select(byId("file-engine")).getFirstSelectedOption()
                .getAttribute("value")).isEqualTo("vosk");
        assertThat(byId("files-status").getAttribute("role")).isEqualTo("status");
        watchPage();
        throttleUploads(SLOW_UPLOAD);

        byId("file-input").sendKeys(String.join("\n", mp3.toString(), m4a.toString(), wav.toString()));
        await(Duration.ofSeconds(20), () -> !browser.findElements(By.cssSelector("#uploads li[data-state=uploading]"))
                .isEmpty());
        Chromium.screenshot(browser, "files-uploading");
        await(Duration.ofSeconds(60), () -> jobRows().size() == 3);
        throttleUploads(-1);
        await(Duration.ofSeconds(60), () -> jobRows().stream().anyMatch(r -> "running".equals(r.getAttribute(
                "data-status"))));
        Chromium.screenshot(browser, "files-running");
        await(Duration.ofSeconds(180), () -> jobRows().stream().allMatch(r -> "succeeded".equals(r.getAttribute(
                "data-status"))));
        Chromium.screenshot(browser, "files-done");

        @SuppressWarnings("unchecked") Map<String, Object> seen = (Map<String, Object>) js("return window.__seen");
        System.out.println("[files] seen on the page: " + seen);
        @SuppressWarnings("unchecked") List<Number> uploadBars = (List<Number>) seen.get("upload");
        assertThat(uploadBars).as("an upload bar between empty and full").anyMatch(v -> v.intValue() > 0
                && v.intValue() < 100);
        @SuppressWarnings("unchecked") Map<String, List<String>> jobStates = (Map<String, List<String>>) seen
                .get("jobs");
        assertThat(jobStates.get("several clips.wav")).as("the long job seen running with progress")
                .anyMatch(s -> s.startsWith("running:") && !s.equals("running:0") && !s.equals("running:100"));
        assertThat(jobStates.get("several clips.wav")).as("seen waiting before it ran")
                .anyMatch(s -> s.startsWith("queued") || s.startsWith("running"));
        assertThat(announced()).as("status changes are announced").isNotBlank();

        Map<String, String> pageText = new LinkedHashMap<>();
        for (Path file : List.of(mp3, m4a, wav)) {
            pageText.put(file.getFileName().toString(), transcriptOnPage(file.getFileName().toString()));
        }

        // Downloads are the server's files, byte for byte.
        openJob("several clips.wav");
        String id = jobId("several clips.wav");
        for (String format : List.of("txt", "srt", "vtt", "json")) {
            byCss("#detail-downloads button[data-format=" + format + "]").click();
            Path saved = awaitDownload(downloads, "several clips." + format);
            assertThat(Files.readString(saved)).as(format).isEqualTo(server.get("/api/jobs/" + id + "/transcript."
                    + format).body());
        }

        // A time plays the audio from there.
        List<WebElement> times = browser.findElements(By.cssSelector("#detail-segments button.time"));
        assertThat(times).as("segments with times").hasSizeGreaterThan(1);
        WebElement second = times.get(1);
        double start = Double.parseDouble(second.getAttribute("data-start"));
        assertThat(start).isPositive();
        second.sendKeys(Keys.ENTER);
        await(Duration.ofSeconds(20), () -> byId("detail-audio").isDisplayed() && !Boolean.TRUE.equals(
                js("return document.getElementById('detail-audio').paused")));
        double at = ((Number) js("return document.getElementById('detail-audio').currentTime")).doubleValue();
        assertThat(at).as("playing from the segment's start").isBetween(start - 0.05, start + 3.0);
        Chromium.screenshot(browser, "files-transcript");
        js("document.getElementById('detail-audio').pause()");
        browser.manage().window().setSize(new Dimension(1000, 1500));
        js("window.scrollTo(0, 0)");
        Chromium.screenshot(browser, "files-view"); // the README's picture
        browser.manage().window().setSize(new Dimension(1200, 900));

        // The same files through the job API directly.
        Map<String, String> apiText = new LinkedHashMap<>();
        for (Path file : List.of(mp3, m4a, wav)) apiText.put(file.getFileName().toString(), apiTranscript(file));
        double pageWer = wer(pageText);
        double apiWer = wer(apiText);
        System.out.printf("[files] WER on the page %.2f%%, job API called directly %.2f%%%n", 100 * pageWer,
                100 * apiWer);
        for (String name : references.keySet()) {
            System.out.printf("[files]   %s: page \"%s\" / api \"%s\"%n", name, pageText.get(name), apiText.get(name));
        }
        assertThat(Math.abs(pageWer - apiWer)).as("page against the API, in WER points").isLessThanOrEqualTo(0.02);

        // The list is the server's: it is there after a reload, the open transcript too (#files/ID).
        browser.navigate().refresh();
        await(Duration.ofSeconds(20), () -> jobRows().size() == 6 && !text("detail-segments").isBlank());
        assertThat(jobRows().get(0).findElement(By.cssSelector(".name")).getText()).as("newest first")
                .startsWith("api ");
        assertThat(text("jobs-owner")).contains("without API keys");
        browser.manage().window().setSize(new Dimension(390, 844));
        assertThat(((Number) js("return document.documentElement.scrollWidth - window.innerWidth")).intValue())
                .as("no sideways scrolling at phone width: %s", overflowing()).isLessThanOrEqualTo(0);
        Chromium.screenshot(browser, "files-phone");
    }

    /**
     * The page refuses a non-audio and an oversized file in words without sending them; when the server
     * refuses (a text file named .mp3, limits lowered after the page loaded, too many uploads) the page says
     * so in words too, and offers a retry only where one can help.
     */
    @Test
    void refusesNonAudioAndOversizedFilesInWordsBeforeAndAfterUpload() throws Exception {
        Path notes = Files.writeString(tmp.resolve("notes.txt"), "meeting notes, not audio\n".repeat(40));
        Path notesAsMp3 = Files.writeString(tmp.resolve("notes.mp3"), "meeting notes, not audio\n".repeat(40));
        Path threeMb = tmp.resolve("three.wav");
        WavWriter.write(threeMb, new PcmAudio(16000, new short[16000 * 100])); // 3.2 MB of silence
        Path oneAndAHalfMb = tmp.resolve("one and a half.wav");
        WavWriter.write(oneAndAHalfMb, new PcmAudio(16000, new short[16000 * 48]));
        Path data = tmp.resolve("data");

        server = TestServer.start(Map.of("MAX_FILE_SIZE_MB", "2", "WORKER_CONCURRENCY", "0", "DATA_DIR",
                data.toString()), TestEngines.vosk());
        int port = server.server().port();
        browser = Chromium.launch(Chromium.Microphone.NONE, null, tmp.resolve("profile"), tmp);
        openFiles(server.http("/#files").toString());
        assertThat(byCss(".engine-choice").isDisplayed()).as("one engine: no choice").isFalse();

        byId("file-input").sendKeys(notes.toString());
        WebElement refused = awaitUpload("notes.txt", "refused");
        assertThat(refused.getText()).contains("Not audio").contains("mp3");
        byId("file-input").sendKeys(threeMb.toString());
        assertThat(awaitUpload("three.wav", "refused").getText()).contains("Too large").contains("2 MB")
                .contains("MAX_FILE_SIZE_MB").contains("this one is 3.");
        Chromium.screenshot(browser, "files-refused-before-upload");
        assertThat(jobsTotal()).as("nothing was sent").isZero();

        byId("file-input").sendKeys(notesAsMp3.toString());
        WebElement notAudio = awaitUpload("notes.mp3", "failed");
        assertThat(notAudio.getText()).contains("Not audio").contains("Server said");
        assertThat(notAudio.findElements(By.cssSelector("button[data-action=retry]"))).as("no retry for a text file")
                .isEmpty();

        // The server's limits change while the page is open: its own check passes, the server's refuses.
        server.close();
        server = TestServer.start(Map.of("PORT", String.valueOf(port), "MAX_FILE_SIZE_MB", "1", "UPLOADS_PER_MINUTE",
                "2", "WORKER_CONCURRENCY", "0", "DATA_DIR", data.toString()), TestEngines.vosk());
        byId("file-input").sendKeys(oneAndAHalfMb.toString());
        WebElement tooLarge = awaitUpload("one and a half.wav", "failed");
        assertThat(tooLarge.getText()).contains("Too large").contains("MAX_FILE_SIZE_MB");
        byId("file-input").sendKeys(mp3.toString());
        await(Duration.ofSeconds(30), () -> jobRows().size() == 1);
        byId("file-input").sendKeys(mp3.toString());
        WebElement limited = awaitUpload("first clip.mp3", "failed");
        assertThat(limited.getText()).contains("Rate limited");
        assertThat(limited.findElements(By.cssSelector("button[data-action=retry]"))).as("a retry where it helps")
                .hasSize(1);
        Chromium.screenshot(browser, "files-refused-after-upload");
        browser.findElement(By.cssSelector("#uploads li button[aria-label='Dismiss notes.txt']")).click();
        await(Duration.ofSeconds(5), () -> uploadRows().stream().noneMatch(r -> r.getText().contains("notes.txt")));
    }

    /**
     * Cancel and delete from the list; a reload during an upload says it was interrupted; the list survives
     * the reload, and a job that finished while the page was closed is shown done when it opens again.
     */
    @Test
    void cancelDeleteInterruptedUploadAndJobsThatFinishWhileThePageIsClosed() throws Exception {
        Path data = tmp.resolve("data");
        server = TestServer.start(Map.of("WORKER_CONCURRENCY", "0", "DATA_DIR", data.toString()), TestEngines.vosk());
        int port = server.server().port();
        browser = Chromium.launch(Chromium.Microphone.NONE, null, tmp.resolve("profile"), tmp);
        openFiles(server.http("/#files").toString());

        byId("file-input").sendKeys(String.join("\n", mp3.toString(), m4a.toString()));
        await(Duration.ofSeconds(30), () -> jobRows().size() == 2
                && jobRows().stream().allMatch(r -> "queued".equals(r.getAttribute("data-status"))));
        WebElement cancel = jobRow("first clip.mp3").findElement(By.cssSelector("button[data-action=cancel]"));
        cancel.sendKeys(Keys.ENTER);
        await(Duration.ofSeconds(20), () -> "cancelled".equals(jobRow("first clip.mp3").getAttribute("data-status")));
        assertThat(jobRow("first clip.mp3").getText()).contains("Cancelled");
        await(Duration.ofSeconds(5), () -> announced().contains("first clip.mp3") && announced().contains("Cancelled"));
        Chromium.screenshot(browser, "files-cancelled");
        jobRow("first clip.mp3").findElement(By.cssSelector("button[data-action=delete]")).click();
        browser.switchTo().alert().accept();
        await(Duration.ofSeconds(20), () -> jobRows().size() == 1);
        assertThat(jobsTotal()).isEqualTo(1);

        throttleUploads(32 * 1024);
        byId("file-input").sendKeys(wav.toString());
        await(Duration.ofSeconds(20), () -> uploadRows().stream().anyMatch(r -> "uploading".equals(
                r.getAttribute("data-state")) && !r.getText().contains(" 0%")));
        browser.navigate().refresh();
        throttleUploads(-1);
        WebElement interrupted = awaitUpload("several clips.wav", "interrupted");
        assertThat(interrupted.getText()).contains("Upload interrupted").contains("Choose the file again");
        await(Duration.ofSeconds(20), () -> jobRows().size() == 1);
        assertThat(jobRow("second clip.m4a").getAttribute("data-status")).isEqualTo("queued");
        assertThat(jobsTotal()).as("the interrupted upload made no job").isEqualTo(1);
        Chromium.screenshot(browser, "files-interrupted");

        // The page is closed; the job runs and finishes meanwhile; the page opens again.
        browser.get("about:blank");
        server.close();
        server = TestServer.start(Map.of("PORT", String.valueOf(port), "WORKER_CONCURRENCY", "1", "DATA_DIR",
                data.toString()), TestEngines.vosk());
        String id = JSON.readTree(server.get("/api/jobs").body()).path("jobs").get(0).path("id").asText();
        awaitJob(id);
        openFiles(server.http("/#files").toString());
        await(Duration.ofSeconds(20), () -> jobRows().size() == 1
                && "succeeded".equals(jobRow("second clip.m4a").getAttribute("data-status")));
        assertThat(jobRow("second clip.m4a").getText()).contains("Done");
        assertThat(uploadRows()).as("the interrupted note stays until dismissed").hasSize(1);
    }

    /** Ten jobs a page, newest first; Older and Newer move between pages and say where they are. */
    @Test
    void theJobListIsPagedNewestFirst() throws Exception {
        server = TestServer.start(Map.of("WORKER_CONCURRENCY", "0"), TestEngines.vosk());
        byte[] clip = Files.readAllBytes(mp3);
        for (int i = 1; i <= 12; i++) {
            HttpResponse<String> created = HTTP.send(new Multipart().file("file", "clip " + i + ".mp3", clip)
                    .post(server.http("/api/jobs")), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            Thread.sleep(5); // distinct creation times for the newest-first order
        }
        browser = Chromium.launch(Chromium.Microphone.NONE, null, tmp.resolve("profile"), tmp);
        openFiles(server.http("/#files").toString());
        assertThat(jobRows()).hasSize(10);
        assertThat(jobRows().get(0).findElement(By.cssSelector(".name")).getText()).isEqualTo("clip 12.mp3");
        assertThat(text("jobs-page")).isEqualTo("Page 1 of 2 (12 jobs)");
        assertThat(byId("jobs-newer").isEnabled()).isFalse();
        byId("jobs-older").sendKeys(Keys.ENTER);
        await(Duration.ofSeconds(10), () -> jobRows().size() == 2);
        assertThat(jobRows()).extracting(r -> r.findElement(By.cssSelector(".name")).getText())
                .containsExactly("clip 2.mp3", "clip 1.mp3");
        assertThat(text("jobs-page")).isEqualTo("Page 2 of 2 (12 jobs)");
        assertThat(byId("jobs-older").isEnabled()).isFalse();
        byId("jobs-newer").click();
        await(Duration.ofSeconds(10), () -> jobRows().size() == 10);
    }

    /**
     * With API keys on, behind an HTTPS proxy under /voxgate, at phone width and by keyboard: the page asks
     * for the key, uploads, reads the job, opens its transcript with Enter, closes it with Escape (focus back
     * on the job's button) and downloads through the proxy with the key.
     */
    @Test
    void withKeysBehindAProxyUnderAPrefixAtPhoneWidthByKeyboard() throws Exception {
        Path keyFile = tmp.resolve("keys");
        ApiKeyFile.NewKey key = ApiKeyFile.create("browser", Set.of(), new SecureRandom(), Instant.now());
        ApiKeyFile.write(keyFile, List.of(key.entry()));
        server = TestServer.start(Map.of("API_KEYS_FILE", keyFile.toString(), "WORKER_CONCURRENCY", "1"),
                TestEngines.vosk());
        Path downloads = Files.createDirectories(tmp.resolve("downloads"));
        try (Caddy proxy = Caddy.proxy(server.server().port(), "/voxgate", tmp.resolve("caddy"))) {
            browser = Chromium.launch(Chromium.Microphone.NONE, null, tmp.resolve("profile"), downloads,
                    List.of("--ignore-certificate-errors"));
            browser.manage().window().setSize(new Dimension(390, 844));
            browser.get(proxy.url("/voxgate/#files"));
            await(Duration.ofSeconds(20), () -> byId("key-panel").isDisplayed());
            byId("api-key").sendKeys(key.key(), Keys.ENTER);
            await(Duration.ofSeconds(20), () -> text("limits").contains("MB"));
            assertThat(browser.getCurrentUrl()).startsWith(proxy.url("/voxgate/"));

            byId("file-input").sendKeys(mp3.toString());
            await(Duration.ofSeconds(60), () -> jobRows().size() == 1
                    && "succeeded".equals(jobRow("first clip.mp3").getAttribute("data-status")));
            await(Duration.ofSeconds(5), () -> announced().contains("first clip.mp3: Done"));
            assertThat(text("jobs-owner")).contains("API key");
            WebElement open = jobRow("first clip.mp3").findElement(By.cssSelector("button[data-action=open]"));
            open.sendKeys(Keys.ENTER);
            await(Duration.ofSeconds(20), () -> !browser.findElements(By.cssSelector("#detail-segments li")).isEmpty());
            assertThat(browser.switchTo().activeElement().getAttribute("id")).as("focus on the transcript's heading")
                    .isEqualTo("detail-title");
            assertThat(((Number) js("return document.documentElement.scrollWidth - window.innerWidth")).intValue())
                    .as("no sideways scrolling at phone width: %s", overflowing()).isLessThanOrEqualTo(0);
            Chromium.screenshot(browser, "files-keys-proxy-phone");
            String id = jobId("first clip.mp3");
            byCss("#detail-downloads button[data-format=txt]").sendKeys(Keys.ENTER);
            Path txt = awaitDownload(downloads, "first clip.txt");
            HttpResponse<String> direct = HTTP.send(HttpRequest.newBuilder(server.http("/api/jobs/" + id
                    + "/transcript.txt")).header("Authorization", "Bearer " + key.key()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(Files.readString(txt)).isEqualTo(direct.body());
            browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
            await(Duration.ofSeconds(10), () -> !byId("job-detail").isDisplayed());
            assertThat(browser.switchTo().activeElement().getAttribute("data-action")).as("focus back on the job")
                    .isEqualTo("open");
            assertThat(js("return localStorage.length")).as("never localStorage").isEqualTo(0L);
        }
    }

    /**
     * Every code an upload or a job can end with has its own words in the page, not the fallback
     * "refused (HTTP …)"; and the page's own check before uploading says the limit and the size.
     */
    @Test
    void everyUploadAndJobErrorCodeIsPutInWords() {
        server = TestServer.streaming(Map.of(), FakeEngine.builder("fake").build());
        browser = Chromium.launch(Chromium.Microphone.NONE, null, tmp.resolve("profile"), tmp);
        browser.get(server.http("/").toString());
        Set<ErrorCode.Kind> kinds = EnumSet.of(ErrorCode.Kind.BAD_REQUEST, ErrorCode.Kind.UNAUTHORIZED,
                ErrorCode.Kind.FORBIDDEN, ErrorCode.Kind.TOO_LARGE, ErrorCode.Kind.UNSUPPORTED_MEDIA,
                ErrorCode.Kind.BAD_FILE, ErrorCode.Kind.OVERLOADED, ErrorCode.Kind.UNAVAILABLE,
                ErrorCode.Kind.SERVER_FAULT);
        List<String> codes = new ArrayList<>(Stream.of(ErrorCode.values())
                .filter(c -> kinds.contains(c.kind()) && c != ErrorCode.FRAME_TOO_LARGE).map(ErrorCode::code).toList());
        codes.addAll(List.of("job_timeout", "attempts_exhausted")); // the job worker's own
        for (String code : codes) {
            Object words = ((JavascriptExecutor) browser).executeAsyncScript("""
                    const [code, done] = arguments;
                    import('./files/messages.js').then(({ errorWords }) =>
                      done(errorWords({ code, message: 'detail' }, 400).text));
                    """, code);
            assertThat((String) words).as(code).isNotBlank().doesNotContain("refused the upload (HTTP")
                    .doesNotContain("Failed (");
        }
        Object check = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('./files/messages.js').then(({ checkFile }) => {
                  const limits = { maxFileSizeBytes: 200 * 1048576, maxFileSizeMb: 200,
                    allowedFormats: ['mp3', 'wav'] };
                  done([
                    checkFile({ name: 'talk.mp3', size: 412 * 1048576, type: 'audio/mpeg' }, limits)?.text,
                    checkFile({ name: 'notes.pdf', size: 1000, type: 'application/pdf' }, limits)?.text,
                    checkFile({ name: 'talk.flac', size: 1000, type: 'audio/flac' }, limits)?.text,
                    checkFile({ name: 'talk', size: 1000, type: 'audio/mpeg' }, limits) === null,
                    checkFile({ name: 'TALK.MP3', size: 1000, type: '' }, limits) === null,
                  ]);
                });
                """);
        @SuppressWarnings("unchecked") List<Object> r = (List<Object>) check;
        assertThat((String) r.get(0)).isEqualTo(
                "Too large: this server takes files up to 200 MB (MAX_FILE_SIZE_MB); this one is 412 MB.");
        assertThat((String) r.get(1)).startsWith("Not audio:").contains("mp3, wav");
        assertThat((String) r.get(2)).startsWith("Unsupported format:").contains("not flac");
        assertThat(r.subList(3, 5)).as("an audio type without the usual name, and upper case, go to the server")
                .containsOnly(true);
    }

    private String transcriptOnPage(String name) {
        openJob(name);
        return browser.findElements(By.cssSelector("#detail-segments li .text")).stream().map(WebElement::getText)
                .collect(Collectors.joining(" "));
    }

    private void openJob(String name) {
        String id = jobId(name);
        jobRow(name).findElement(By.cssSelector("button[data-action=open]")).click();
        await(Duration.ofSeconds(20), () -> browser.getCurrentUrl().endsWith("#files/" + id)
                && !browser.findElements(By.cssSelector("#detail-segments li .text")).isEmpty()
                && text("detail-title").contains(name));
    }

    private String apiTranscript(Path file) throws Exception {
        HttpResponse<String> created = HTTP.send(new Multipart().file("file", "api " + file.getFileName(),
                Files.readAllBytes(file)).post(server.http("/api/jobs")), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).path("id").asText();
        JsonNode done = awaitJob(id);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
        return server.get("/api/jobs/" + id + "/transcript.txt").body();
    }

    private JsonNode awaitJob(String id) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            JsonNode j = JSON.readTree(server.get("/api/jobs/" + id).body());
            if (Set.of("succeeded", "failed", "cancelled").contains(j.path("status").asText())) return j;
            Thread.sleep(200);
        }
        throw new AssertionError("job " + id + " did not finish");
    }

    private int jobsTotal() throws IOException {
        return JSON.readTree(server.get("/api/jobs").body()).path("total").asInt();
    }

    private void openFiles(String url) {
        browser.get(url);
        await(Duration.ofSeconds(20), () -> text("limits").contains("MB")
                && "true".equals(byId("jobs").getAttribute("data-loaded")));
    }

    /** Samples every 50 ms what flashes by: upload bars' values, and each job's state:progress by file name. */
    private void watchPage() {
        js("""
    window.__seen = { upload: [], jobs: {} };
    setInterval(() => {
      for (const bar of document.querySelectorAll('#uploads progress')) window.__seen.upload.push(bar.value);
      for (const li of document.querySelectorAll('#jobs li')) {
        const name = li.querySelector('.name').textContent;
        const bar = li.querySelector('progress');
        const state = `${li.dataset.status}:${bar ? bar.value : ''}`;
        const seen = (window.__seen.jobs[name] ||= []);
        if (seen[seen.length - 1] !== state) seen.push(state);
      }
    }, 50);
    """);
    }

    /** Holds the browser's uploads to {@code bytesPerSecond} (-1: no limit), as on a slow line. */
    private void throttleUploads(int bytesPerSecond) {
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
                "downloadThroughput", -1, "uploadThroughput", bytesPerSecond));
    }

    private WebElement awaitUpload(String name, String state) {
        await(Duration.ofSeconds(30), () -> uploadRow(name, state).isPresent());
        return uploadRow(name, state).orElseThrow();
    }

    private Optional<WebElement> uploadRow(String name, String state) {
        return uploadRows().stream().filter(r -> state.equals(r.getAttribute("data-state"))
                && r.findElement(By.cssSelector(".name")).getText().equals(name)).findFirst();
    }

    private List<WebElement> uploadRows() {
        return browser.findElements(By.cssSelector("#uploads li"));
    }

    private List<WebElement> jobRows() {
        return browser.findElements(By.cssSelector("#jobs li"));
    }

    private WebElement jobRow(String name) {
        return jobRows().stream().filter(r -> r.findElement(By.cssSelector(".name")).getText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no job " + name + " on the page"));
    }

    private String jobId(String name) {
        return jobRow(name).getAttribute("data-job-id");
    }

    private void await(Duration timeout, BooleanSupplier condition) {
        new WebDriverWait(browser, timeout, Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class)
                .ignoring(AssertionError.class)
                .withMessage(() -> "uploads: " + safeText("uploads") + "; jobs: " + safeText("jobs") + "; notice: "
                        + safeText("files-notice") + "; console:" + Chromium.console(browser))
                .until(d -> condition.getAsBoolean());
    }

    /** The elements that reach past the window's right edge, for a failure message. */
    private Object overflowing() {
        return js("""
                return [...document.querySelectorAll('body *')]
                  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                  .map((e) => `${e.tagName}#${e.id}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)
                  .slice(0, 10);
                """);
    }

    /** The live region's words (visually hidden, so not "visible text" to WebDriver). */
    private String announced() {
        return byId("files-status").getAttribute("textContent");
    }

    private String safeText(String id) {
        try {
            return text(id);
        } catch (RuntimeException e) {
            return "(" + e.getClass().getSimpleName() + ")";
        }
    }

    private Path awaitDownload(Path dir, String name) {
        await(Duration.ofSeconds(20), () -> Files.exists(dir.resolve(name)));
        return dir.resolve(name);
    }

    private WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private WebElement byCss(String css) {
        return browser.findElement(By.cssSelector(css));
    }

    private String text(String id) {
        return byId(id).getText();
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static double wer(Map<String, String> hypotheses) {
        int edits = 0;
        int words = 0;
        for (var e : references.entrySet()) {
            edits += WordErrorRate.edits(e.getValue(), hypotheses.getOrDefault(e.getKey(), ""));
            words += WordErrorRate.normalize(e.getValue()).size();
        }
        return edits / (double) words;
    }

    private static PcmAudio concat(List<PcmAudio> parts) {
        int n = parts.stream().mapToInt(p -> p.samples().length).sum();
        short[] all = new short[n];
        int pos = 0;
        for (PcmAudio p : parts) {
            System.arraycopy(p.samples(), 0, all, pos, p.samples().length);
            pos += p.samples().length;
        }
        return new PcmAudio(16000, all);
    }
}
