package dev.voxgate.server.web;

import dev.voxgate.audio.PcmAudio;
import dev.voxgate.audio.WavWriter;
import dev.voxgate.audio.transcribe.OfflineTranscriber;
import dev.voxgate.server.Speech;
import dev.voxgate.server.TestEngines;
import dev.voxgate.server.TestServer;
import dev.voxgate.server.WsClient;
import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.guard.ApiKeyFile;
import dev.voxgate.server.transport.CloseCodes;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;

/**
 * The browser client in a real headless Chromium whose microphone plays real speech from the
 * evaluation set, against a real server with the real Vosk engine. Screenshots land in
 * {@code target/browser-artifacts}.
 */
@Timeout(300)
class LiveTranscriptBrowserIT {
    private static final int UTTERANCES = 4;
    private static List<Utterance> utterances;
    private static Path speechWav;
    private static double speechSeconds;
    private static double inProcessWer;

    @TempDir
    Path tmp;
    private ChromeDriver browser;
    private TestServer server;

    /** A few utterances with pauses between them, as one 48 kHz recording (the rate a real microphone runs at). */
    @BeforeAll
    static void speech(@TempDir Path dir) throws Exception {
        utterances = Speech.corpus().first(UTTERANCES);
        List<PcmAudio> parts = new ArrayList<>();
        PcmAudio pause = new PcmAudio(16000, new short[16000]);
        parts.add(pause);
        for (Utterance u : utterances) {
            parts.add(Speech.audio(u).resampledTo(16000));
            parts.add(pause);
        }
        parts.add(pause);
        PcmAudio at16k = concat(parts);
        speechSeconds = at16k.seconds();
        speechWav = dir.resolve("speech-48k.wav");
        WavWriter.write(speechWav, at16k.resampledTo(48000));
        String baseline = new OfflineTranscriber(TestEngines.vosk()).transcribe(at16k, null).text();
        inProcessWer = wer(baseline);
        System.out.printf("[browser] %d utterances, %.1f s; in-process WER %.2f%%%n", utterances.size(), speechSeconds,
                100 * inProcessWer);
    }

    @AfterEach
    void tearDown() {
        Chromium.quit(browser, tmp.resolve("profile"));
        if (server != null) server.close();
    }

    @Test
    void transcribesTheMicrophoneLiveAndOffersTheTranscript() throws Exception {
        server = TestServer.streaming(Map.of(), TestEngines.vosk());
        Path downloads = Files.createDirectories(tmp.resolve("downloads"));
        browser = Chromium.launch(Chromium.Microphone.FILE, speechWav, tmp.resolve("profile"), downloads);
        open();
        assertThat(byId("finals").getAttribute("aria-live")).isEqualTo("polite");
        assertThat(byId("notice").getAttribute("role")).isEqualTo("alert");
        watchPage();

        byId("start").sendKeys(Keys.ENTER); // keyboard, not a mouse click
        awaitSession("listening", Duration.ofSeconds(30));
        assertThat(text("connection")).startsWith("Listening (vosk)");
        long started = System.nanoTime();
        try { // a picture of the page mid-sentence (finals and a partial) for the README; not an assertion
            await(Duration.ofSeconds(20), () -> !finals().isEmpty() && !text("partial").isEmpty());
        } catch (TimeoutException notCaught) {
            System.out.println("[browser] no moment with both a final and a partial on screen");
        }
        Chromium.screenshot(browser, "live-transcript-listening");
        await(Duration.ofSeconds((long) speechSeconds + 30),
                () -> (System.nanoTime() - started) / 1e9 > speechSeconds + 1.0);
        assertThat(browser.switchTo().activeElement().getAttribute("id")).as("focus moves to Stop while listening")
                .isEqualTo("stop");
        browser.switchTo().activeElement().sendKeys(Keys.SPACE);
        awaitSession("idle", Duration.ofSeconds(30));

        Chromium.screenshot(browser, "live-transcript");
        List<String> finals = finals();
        String pageText = String.join(" ", finals);
        double pageWer = wer(pageText);
        System.out.printf("[browser] page WER %.2f%% (in-process %.2f%%): %s%n", 100 * pageWer, 100 * inProcessWer,
                pageText);
        assertThat(pageWer).as("page transcript %s", pageText).isLessThanOrEqualTo(inProcessWer + 0.10);
        assertThat(((Number) js("return window.__seen.partials")).intValue()).as("partials shown while speaking")
                .isGreaterThan(0);
        assertThat(((Number) js("return window.__seen.maxLevel")).intValue()).as("level meter moved").isGreaterThan(20);
        assertThat(byId("notice").isDisplayed()).isFalse();
        assertThat(byId("key-panel").isDisplayed()).as("a server without keys is never asked for one").isFalse();
        assertThat(byId("forget-key").isDisplayed()).isFalse();
        assertThat(byId("finals").findElements(By.cssSelector("li time")).get(0).getText()).matches("\\d+:\\d\\d");

        byId("download-txt").click();
        Path txt = awaitDownload(downloads, ".txt");
        assertThat(Files.readString(txt).strip().split("\n")).containsExactlyElementsOf(finals);
        byId("download-srt").click();
        Path srt = awaitDownload(downloads, ".srt");
        String subtitles = Files.readString(srt);
        assertThat(subtitles).startsWith("1\n").contains(finals.get(0));
        assertThat(subtitles.lines().filter(l -> l.contains("-->")).count()).isEqualTo(finals.size());
        assertThat(subtitles.lines().filter(l -> l.contains("-->")))
                .allMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d,\\d{3} --> \\d\\d:\\d\\d:\\d\\d,\\d{3}"));

        browser.manage().window().setSize(new Dimension(390, 844));
        assertThat(((Number) js("return document.documentElement.scrollWidth - window.innerWidth")).intValue())
                .as("no sideways scrolling at phone width").isLessThanOrEqualTo(0);
        Chromium.screenshot(browser, "live-transcript-phone");
    }

    /**
     * With API keys on: the page asks for a key as it loads, says so when the server refuses one, keeps the
     * accepted one in this tab's sessionStorage only, and streams with a single-use token (never the key) in the
     * WebSocket URL; after Forget key and a declined question it says that a key is needed.
     */
    @Test
    void withApiKeysThePageAsksForAKeyOnceAndStreamsWithATokenGotWithIt() throws Exception {
        Path keyFile = tmp.resolve("keys");
        SecureRandom random = new SecureRandom();
        ApiKeyFile.NewKey key = ApiKeyFile.create("browser", Set.of(), random, Instant.now());
        ApiKeyFile.write(keyFile, List.of(key.entry()));
        String wrongKey = ApiKeyFile.create("elsewhere", Set.of(key.entry().id()), random, Instant.now()).key();
        server = TestServer.streaming(Map.of("API_KEYS_FILE", keyFile.toString()), TestEngines.vosk());
        assertThat(server.get("/api/modules_info").statusCode()).as("keys are on").isEqualTo(401);
        browser = Chromium.launch(Chromium.Microphone.FILE, speechWav, tmp.resolve("profile"), tmp);
        browser.get(server.http("/").toString());

        await(Duration.ofSeconds(20), () -> byId("key-panel").isDisplayed());
        assertThat(browser.switchTo().activeElement().getAttribute("id")).as("the key field takes focus")
                .isEqualTo("api-key");
        assertThat(byId("api-key").getAttribute("type")).isEqualTo("password");
        Chromium.screenshot(browser, "api-key-asked");
        byId("api-key").sendKeys(wrongKey, Keys.ENTER);
        await(Duration.ofSeconds(20), () -> byId("key-error").isDisplayed());
        assertThat(text("key-error")).contains("refused that key");
        assertThat(byId("key-error").getAttribute("role")).isEqualTo("alert");
        assertThat(byId("api-key").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(js("return sessionStorage.length")).as("a refused key is not kept").isEqualTo(0L);
        Chromium.screenshot(browser, "api-key-refused");
        browser.manage().window().setSize(new Dimension(390, 844));
        assertThat(((Number) js("return document.documentElement.scrollWidth - window.innerWidth")).intValue())
                .as("the key form fits a phone").isLessThanOrEqualTo(0);
        Chromium.screenshot(browser, "api-key-phone");
        browser.manage().window().setSize(new Dimension(1200, 900));

        byId("api-key").sendKeys(key.key(), Keys.ENTER);
        await(Duration.ofSeconds(20), () -> !byId("key-panel").isDisplayed() && byId("forget-key").isDisplayed());
        assertThat(js("return Object.keys(sessionStorage).map((k) => sessionStorage.getItem(k))"))
                .asInstanceOf(LIST).containsExactly(key.key());
        assertThat(js("return localStorage.length")).as("never localStorage").isEqualTo(0L);
        js("""
    window.__sockets = [];
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url, protocols) { window.__sockets.push(String(url)); super(url, protocols); }
    };
    """);
        watchPage();
        byId("start").click();
        awaitSession("listening", Duration.ofSeconds(30));
        long started = System.nanoTime();
        await(Duration.ofSeconds((long) speechSeconds + 30),
                () -> (System.nanoTime() - started) / 1e9 > speechSeconds + 1.0);
        byId("stop").click();
        awaitSession("idle", Duration.ofSeconds(30));
        String pageText = String.join(" ", finals());
        double pageWer = wer(pageText);
        System.out.printf("[browser] with a key: page WER %.2f%% (in-process %.2f%%)%n", 100 * pageWer,
                100 * inProcessWer);
        assertThat(pageWer).as("page transcript %s", pageText).isLessThanOrEqualTo(inProcessWer + 0.10);
        @SuppressWarnings("unchecked") List<String> sockets = (List<String>) js("return window.__sockets");
        assertThat(sockets).singleElement().asString().contains("token=vgt_").doesNotContain(key.key());
        assertThat(browser.getCurrentUrl()).doesNotContain(key.key());

        byId("forget-key").click();
        await(Duration.ofSeconds(5), () -> !byId("forget-key").isDisplayed());
        assertThat(js("return sessionStorage.length")).isEqualTo(0L);
        byId("start").click(); // the page knows the server wants a key: it asks before opening the microphone
        await(Duration.ofSeconds(20), () -> byId("key-panel").isDisplayed());
        byId("key-cancel").click();
        await(Duration.ofSeconds(20), () -> byId("notice").isDisplayed());
        assertThat(text("notice")).contains("needs an API key");
        assertThat(byId("start").isEnabled()).isTrue();
        assertThat(server.server().sessions().activeSessions()).isZero();
    }

    /**
     * Keys turned on after the page loaded: the refused WebSocket looks like a lost server to the browser, so the
     * page asks the server, says a key is needed, and on the next Start asks for it and connects with a token.
     */
    @Test
    void keysTurnedOnAfterThePageLoadedAreNoticedAtTheNextStart() throws Exception {
        server = TestServer.streaming(Map.of(), TestEngines.vosk());
        int port = server.server().port();
        browser = Chromium.launch(Chromium.Microphone.FILE, speechWav, tmp.resolve("profile"), tmp);
        open();
        server.close();
        Path keyFile = tmp.resolve("keys");
        ApiKeyFile.NewKey key = ApiKeyFile.create("browser", Set.of(), new SecureRandom(), Instant.now());
        ApiKeyFile.write(keyFile, List.of(key.entry()));
        server = TestServer.streaming(Map.of("PORT", String.valueOf(port), "API_KEYS_FILE", keyFile.toString()),
                TestEngines.vosk());

        byId("start").click();
        awaitSession("disconnected", Duration.ofSeconds(30));
        assertThat(text("notice")).contains("needs an API key").doesNotContain("Cannot reach");
        byId("start").click();
        await(Duration.ofSeconds(20), () -> byId("key-panel").isDisplayed());
        byId("api-key").sendKeys(key.key(), Keys.ENTER);
        awaitSession("listening", Duration.ofSeconds(30));
        assertThat(byId("notice").isDisplayed()).isFalse();
        byId("stop").click();
        awaitSession("idle", Duration.ofSeconds(30));
    }

    @Test
    void stoppedServerIsReportedAndThePageReconnectsWhenItIsBack() throws Exception {
        server = TestServer.streaming(Map.of("SHUTDOWN_GRACE_MS", "1000"), TestEngines.vosk());
        int port = server.server().port();
        browser = Chromium.launch(Chromium.Microphone.FILE, speechWav, tmp.resolve("profile"), tmp);
        open();
        byId("start").click();
        awaitSession("listening", Duration.ofSeconds(30));
        await(Duration.ofSeconds(30), () -> !finals().isEmpty() || !text("partial").isEmpty());

        server.close();
        server = null;
        awaitSession("disconnected", Duration.ofSeconds(20));
        assertThat(text("notice")).contains("shutting down");
        assertThat(text("start")).isEqualTo("Reconnect");
        assertThat(byId("start").isEnabled()).isTrue();
        Chromium.screenshot(browser, "server-stopped");

        byId("start").click(); // nothing listens on the port now
        awaitSession("disconnected", Duration.ofSeconds(20));
        await(Duration.ofSeconds(20), () -> text("notice").contains("Cannot reach"));

        server = TestServer.streaming(Map.of("PORT", String.valueOf(port)), TestEngines.vosk());
        byId("start").click();
        awaitSession("listening", Duration.ofSeconds(30));
        assertThat(byId("notice").isDisplayed()).isFalse();
        byId("stop").click();
        awaitSession("idle", Duration.ofSeconds(30));
    }

    @Test
    void worksBehindAnHttpsReverseProxyUnderAPathPrefix() {
        server = TestServer.streaming(Map.of(), TestEngines.vosk());
        try (Caddy proxy = Caddy.proxy(server.server().port(), "/voxgate", tmp.resolve("caddy"))) {
            browser = Chromium.launch(Chromium.Microphone.FILE, speechWav, tmp.resolve("profile"), tmp,
                    List.of("--ignore-certificate-errors")); // Caddy's internal CA is not in the browser's trust store
            browser.get(proxy.url("/voxgate"));
            await(Duration.ofSeconds(20), () -> byId("start").isEnabled());
            assertThat(browser.getCurrentUrl()).isEqualTo(proxy.url("/voxgate/"));
            Object url = ((JavascriptExecutor) browser).executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + "import('./live/listen-client.js').then((m) => done(m.listenUrl({ sample_rate: 16000 "
                            + "})));");
            assertThat(url).isEqualTo(proxy.url("/voxgate/v1/listen?sample_rate=16000").replace("https:", "wss:"));

            byId("start").click();
            awaitSession("listening", Duration.ofSeconds(30));
            await(Duration.ofSeconds(40), () -> !finals().isEmpty());
            byId("stop").click();
            awaitSession("idle", Duration.ofSeconds(30));
            String first = finals().get(0);
            Utterance u = utterances.get(0);
            double wer = WordErrorRate.edits(u.reference(), first) / (double) WordErrorRate.normalize(u.reference())
                    .size();
            assertThat(wer).as("first final through the proxy: %s", first).isLessThan(0.25);
        }
    }

    @Test
    void overCapacityIsReported() throws Exception {
        server = TestServer.streaming(Map.of("MAX_SESSIONS", "1"), TestEngines.vosk());
        try (WsClient occupant = WsClient.connect(server.ws("/v1/listen"))) {
            occupant.awaitType("ready");
            browser = Chromium.launch(Chromium.Microphone.FILE, speechWav, tmp.resolve("profile"), tmp);
            open();
            byId("start").click();
            awaitSession("disconnected", Duration.ofSeconds(30));
            assertThat(text("notice")).contains("The server is busy").contains("MAX_SESSIONS");
            assertThat(text("start")).isEqualTo("Try again");
            Chromium.screenshot(browser, "over-capacity");
        }
    }

    @ParameterizedTest
    @CsvSource({"DENIED, Microphone access was denied", "NONE, No microphone was found"})
    void microphoneProblemsAreReportedWithoutOpeningASession(Chromium.Microphone microphone, String words) {
        server = TestServer.streaming(Map.of(), TestEngines.vosk());
        browser = Chromium.launch(microphone, speechWav, tmp.resolve("profile"), tmp);
        open();
        byId("start").click();
        await(Duration.ofSeconds(20), () -> byId("notice").isDisplayed());
        assertThat(text("notice")).contains(words);
        assertThat(server.server().sessions().activeSessions()).isZero();
        assertThat(byId("start").isEnabled()).isTrue();
    }

    /** Every error code the server can send has its own words on the page, not the generic fallback. */
    @Test
    void everyServerErrorCodeIsPutInWords() {
        server = TestServer.streaming(Map.of(), TestEngines.vosk());
        browser = Chromium.launch(Chromium.Microphone.NONE, speechWav, tmp.resolve("profile"), tmp);
        open();
        for (ErrorCode code : CloseCodes.streamCodes()) {
            Object words = ((JavascriptExecutor) browser).executeAsyncScript("""
                    const [closeCode, errorCode, done] = arguments;
                    import('./live/messages.js').then(({ closeMessage }) => done(closeMessage(
                      { code: closeCode, opened: true, ended: false, normal: false,
                        error: { code: errorCode, message: 'detail from the server' } }, 'example.org').text));
                    """, CloseCodes.of(code), code.code());
            assertThat((String) words).as(code.code()).isNotBlank().doesNotContain("The server ended the session (");
        }
        // The guard's refusals of POST /api/tokens, which the page gets before a session opens.
        for (ErrorCode code : List.of(ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN, ErrorCode.ORIGIN_NOT_ALLOWED,
                ErrorCode.RATE_LIMITED)) {
            Object words = ((JavascriptExecutor) browser).executeAsyncScript("""
                    const [errorCode, done] = arguments;
                    import('./live/messages.js').then(({ closeMessage }) => done(closeMessage(
                      { code: 1006, opened: false, ended: false, normal: false,
                        error: { code: errorCode, message: 'detail from the server' } }, 'example.org').text));
                    """, code.code());
            assertThat((String) words).as(code.code()).isNotBlank().doesNotContain("The server ended the session (");
        }
    }

    /** The in-browser 48 kHz → 16 kHz converter keeps the speech band and removes what would alias. */
    @Test
    void downsamplerKeepsSpeechAndFiltersAliases() {
        server = TestServer.streaming(Map.of(), TestEngines.vosk());
        browser = Chromium.launch(Chromium.Microphone.NONE, speechWav, tmp.resolve("profile"), tmp);
        open();
        Object result = ((JavascriptExecutor) browser).executeAsyncScript("""
    const done = arguments[arguments.length - 1];
    import('./audio/downsampler.js').then(({ Downsampler }) => {
      const gainAt = (inRate, freq) => {
        const d = new Downsampler(inRate, 16000);
        const out = [];
        // Odd-sized blocks: state must carry across block boundaries.
        for (let start = 0; start < inRate; start += 331) {
          const block = new Float32Array(Math.min(331, inRate - start));
          for (let i = 0; i < block.length; i++) block[i] = 0.5 * Math.sin(2 * Math.PI * freq * (start + i) / inRate);
          out.push(...d.process(block));
        }
        const steady = out.slice(2000, 14000);
        const rms = Math.sqrt(steady.reduce((s, v) => s + v * v, 0) / steady.length);
        return { gain: rms / (0.5 / Math.SQRT2), samples: out.length };
      };
      done({ pass48: gainAt(48000, 1000), stop48: gainAt(48000, 11000),
             pass44: gainAt(44100, 3000), stop44: gainAt(44100, 12000) });
    }).catch((e) => done({ error: String(e) }));
    """);
        @SuppressWarnings("unchecked") Map<String, Object> r = (Map<String, Object>) result;
        assertThat(r).doesNotContainKey("error");
        assertThat(gain(r, "pass48")).as("1 kHz at 48 kHz passes").isBetween(0.97, 1.03);
        assertThat(gain(r, "pass44")).as("3 kHz at 44.1 kHz passes").isBetween(0.97, 1.03);
        assertThat(gain(r, "stop48")).as("11 kHz would alias to 5 kHz: removed").isLessThan(0.01);
        assertThat(gain(r, "stop44")).as("12 kHz would alias to 4 kHz: removed").isLessThan(0.01);
        @SuppressWarnings("unchecked") Map<String, Object> pass = (Map<String, Object>) r.get("pass48");
        assertThat(((Number) pass.get("samples")).intValue()).as("one second in, one second out")
                .isBetween(15980, 16000);
    }

    /**
     * The page's HTTP client against a stand-in server that wants the key "good": one question for
     * concurrent 401s, a refused key forgotten and asked again, the key in this tab's sessionStorage
     * only, a token got with it, and a declined question handed back as the 401.
     */
    @Test
    void apiClientAsksOnceRetriesAndForgetsARefusedKey() {
        server = TestServer.streaming(Map.of(), TestEngines.vosk());
        browser = Chromium.launch(Chromium.Microphone.NONE, speechWav, tmp.resolve("profile"), tmp);
        open();
        Object result = ((JavascriptExecutor) browser).executeAsyncScript("""
    const done = arguments[arguments.length - 1];
    import('./http/api.js').then(async ({ Api, KeyStore, KeyNeededError }) => {
      const seen = [];
      const stand_in = async (url, init) => {
        const auth = init.headers.get('Authorization');
        seen.push(`${init.method ?? 'GET'} ${new URL(url).pathname} ${auth}`);
        if (auth !== 'Bearer good') return new Response('{"error":{"code":"unauthorized","message":"no"}}',
          { status: 401, headers: { 'Content-Type': 'application/json' } });
        if (url.pathname.endsWith('/api/tokens')) return new Response('{"token":"vgt_t","expires_in":60}',
          { status: 201 });
        return new Response('{}');
      };
      const answers = ['bad', 'good'];
      const questions = [];
      const base = 'http://h/prefix/';
      const api = new Api({ fetch: stand_in, base, keys: new KeyStore(sessionStorage, base),
        askForKey: async (q) => { questions.push(q.refused); return answers.shift(); } });
      const before = api.needsKey;
      const statuses = (await Promise.all([api.fetch('api/a'), api.fetch('api/b')])).map((r) => r.status);
      const stored = sessionStorage.getItem('voxgate.apiKey:/prefix/');
      const token = await api.listenToken();
      api.forgetKey();
      const calls = seen.slice();
      const declining = new Api({ fetch: stand_in, askForKey: async () => null });
      const declined = (await declining.fetch('api/a')).status;
      const tokenError = await declining.listenToken().then(() => 'none', (e) => e instanceof KeyNeededError);
      done({ before, statuses, questions, seen: calls, stored, token, declined, tokenError,
             afterForget: sessionStorage.length, local: localStorage.length, url: location.href });
    }).catch((e) => done({ error: String(e) }));
    """);
        @SuppressWarnings("unchecked") Map<String, Object> r = (Map<String, Object>) result;
        assertThat(r).doesNotContainKey("error");
        assertThat(r.get("before")).as("no key asked for before a 401").isEqualTo(false);
        assertThat(r.get("statuses")).asInstanceOf(LIST).containsExactly(200L, 200L);
        assertThat(r.get("questions")).as("two calls, one question each round: none given, then refused")
                .asInstanceOf(LIST).containsExactly(false, true);
        assertThat(r.get("seen")).asInstanceOf(LIST).containsExactly(
                "GET /prefix/api/a null", "GET /prefix/api/b null",
                "GET /prefix/api/a Bearer bad", "GET /prefix/api/b Bearer bad",
                "GET /prefix/api/a Bearer good", "GET /prefix/api/b Bearer good",
                "POST /prefix/api/tokens Bearer good");
        assertThat(r.get("stored")).isEqualTo("good");
        assertThat(r.get("token")).isEqualTo("vgt_t");
        assertThat(((Number) r.get("afterForget")).intValue()).as("Forget key empties sessionStorage").isZero();
        assertThat(((Number) r.get("local")).intValue()).as("never localStorage").isZero();
        assertThat((String) r.get("url")).doesNotContain("good").doesNotContain("bad");
        assertThat(r.get("declined")).as("a declined question hands back the 401").isEqualTo(401L);
        assertThat(r.get("tokenError")).isEqualTo(true);
    }

    private static double gain(Map<String, Object> r, String key) {
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) r.get(key);
        return ((Number) m.get("gain")).doubleValue();
    }

    private void open() {
        browser.get(server.http("/").toString());
        await(Duration.ofSeconds(20), () -> "idle".equals(byId("connection").getAttribute("data-state"))
                && byId("start").isEnabled());
    }

    /** Records what flashes by between polls: partials shown and the highest level-meter reading. */
    private void watchPage() {
        js("""
    window.__seen = { partials: 0, maxLevel: 0 };
    const partial = document.getElementById('partial');
    new MutationObserver(() => { if (partial.textContent) window.__seen.partials++; })
      .observe(partial, { childList: true, characterData: true, subtree: true });
    const level = document.getElementById('level');
    new MutationObserver(() => {
      window.__seen.maxLevel = Math.max(window.__seen.maxLevel, Number(level.getAttribute('aria-valuenow')));
    }).observe(level, { attributes: true, attributeFilter: ['aria-valuenow'] });
    """);
    }

    private void awaitSession(String state, Duration timeout) {
        await(timeout, () -> state.equals(browser.findElement(By.tagName("body")).getAttribute("data-session")));
    }

    private void await(Duration timeout, BooleanSupplier condition) {
        new WebDriverWait(browser, timeout, Duration.ofMillis(100))
                .withMessage(() -> "page state " + browser.findElement(By.tagName("body")).getAttribute("data-session")
                        + ", notice: " + text("notice") + ", console:" + Chromium.console(browser))
                .until(d -> condition.getAsBoolean());
    }

    private Path awaitDownload(Path dir, String suffix) {
        await(Duration.ofSeconds(20), () -> listing(dir).anyMatch(p -> p.toString().endsWith(suffix)));
        return listing(dir).filter(p -> p.toString().endsWith(suffix)).findFirst().orElseThrow();
    }

    private static Stream<Path> listing(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private List<String> finals() {
        return byId("finals").findElements(By.cssSelector("li .text")).stream().map(WebElement::getText).toList();
    }

    private WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private String text(String id) {
        return byId(id).getText();
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static double wer(String hypothesis) {
        String reference = utterances.stream().map(Utterance::reference).collect(Collectors.joining(" "));
        return WordErrorRate.edits(reference, hypothesis) / (double) WordErrorRate.normalize(reference).size();
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
