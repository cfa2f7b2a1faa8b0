package dev.voxgate.engine.whisperlive;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.Segment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class WhisperLiveCodecTest {
    private static WhisperLiveSegment done(double start, double end, String text) {
        return new WhisperLiveSegment(start, end, text, true);
    }

    private static WhisperLiveSegment open(double start, double end, String text) {
        return new WhisperLiveSegment(start, end, text, false);
    }

    private static List<String> texts(List<SegmentWindow.Update> updates) {
        List<String> out = new ArrayList<>();
        for (SegmentWindow.Update u : updates) {
            out.add(switch (u) {
                case SegmentWindow.Update.Partial p -> "partial:" + p.text();
                case SegmentWindow.Update.Final f -> "final:" + f.segment().text();
            });
        }
        return out;
    }

    @Test
    void readsEveryServerMessageAsThePythonClientDoes() {
        String uid = "c0ffee";
        assertThat(WhisperLiveCodec.decode("{\"uid\": \"c0ffee\", \"message\": \"SERVER_READY\", \"backend\": "
                + "\"faster_whisper\"}")).isEqualTo(new WhisperLiveMessage.ServerReady(uid, "faster_whisper"));
        assertThat(WhisperLiveCodec.decode("{\"uid\": \"c0ffee\", \"status\": \"WAIT\", \"message\": 7.25}"))
                .isEqualTo(new WhisperLiveMessage.Wait(uid, 7.25));
        assertThat(WhisperLiveCodec.decode("{\"uid\": \"c0ffee\", \"status\": \"ERROR\", \"message\": \"no model\"}"))
                .isEqualTo(new WhisperLiveMessage.Status(uid, "ERROR", "no model"));
        assertThat(WhisperLiveCodec.decode("{\"uid\": \"c0ffee\", \"message\": \"DISCONNECT\"}"))
                .isEqualTo(new WhisperLiveMessage.Disconnect(uid));
        assertThat(WhisperLiveCodec.decode("{\"uid\": \"c0ffee\", \"language\": \"en\", \"language_prob\": 0.97}"))
                .isEqualTo(new WhisperLiveMessage.Language(uid, "en", 0.97));
        assertThat(WhisperLiveCodec.decode("{\"uid\": \"c0ffee\", \"segments\": [{\"start\": \"0.000\", \"end\": "
                + "\"1.520\", \"text\": \" Hello there.\", \"completed\": true}, {\"start\": \"1.520\", \"end\": "
                + "\"2.000\", \"text\": \" How are\", \"completed\": false}]}"))
                .isEqualTo(new WhisperLiveMessage.Segments(uid, List.of(done(0, 1.52, " Hello there."),
                        open(1.52, 2.0, " How are"))));
        assertThat(WhisperLiveCodec.decode("{\"uid\": \"c0ffee\", \"translated_segments\": []}"))
                .isEqualTo(new WhisperLiveMessage.Other(uid));
    }

    @Test
    void aServerFromBeforeTheCompletedFlagCompletesAllButTheLastSegment() {
        var m = (WhisperLiveMessage.Segments) WhisperLiveCodec.decode("{\"uid\":\"u\",\"segments\":["
                + "{\"start\":\"0.000\",\"end\":\"1.000\",\"text\":\" a\"},{\"start\":\"1.000\",\"end\":\"2.000\","
                + "\"text\":\" b\"}]}");
        assertThat(m.segments()).extracting(WhisperLiveSegment::completed).containsExactly(true, false);
    }

    @Test
    void everyMessageEncodesAsTheServerSendsItAndReadsBack() {
        List<WhisperLiveMessage> all = List.of(new WhisperLiveMessage.ServerReady("u", "faster_whisper"),
                new WhisperLiveMessage.Wait("u", 3.5), new WhisperLiveMessage.Status("u", "WARNING", "fallback"),
                new WhisperLiveMessage.Disconnect("u"), new WhisperLiveMessage.Language("u", "de", 0.5),
                new WhisperLiveMessage.Segments("u", List.of(done(0.25, 1.5, " Hi."), open(1.5, 1.75, " you"))));
        for (WhisperLiveMessage m : all) assertThat(WhisperLiveCodec.decode(WhisperLiveCodec.encode(m))).isEqualTo(m);
        assertThat(WhisperLiveCodec.encode(all.getLast())).isEqualTo("{\"uid\":\"u\",\"segments\":[{\"start\":"
                + "\"0.250\",\"end\":\"1.500\",\"text\":\" Hi.\",\"completed\":true},{\"start\":\"1.500\",\"end\":"
                + "\"1.750\",\"text\":\" you\",\"completed\":false}]}");
        WhisperLiveOptions o = WhisperLiveOptions.transcribe("u", null, "small");
        assertThat(WhisperLiveCodec.encode(o)).isEqualTo("{\"uid\":\"u\",\"language\":null,\"task\":\"transcribe\","
                + "\"model\":\"small\",\"use_vad\":true,\"send_last_n_segments\":10,\"no_speech_thresh\":0.45,"
                + "\"clip_audio\":false,\"same_output_threshold\":10}");
        assertThat(WhisperLiveCodec.decodeOptions(WhisperLiveCodec.encode(o))).isEqualTo(o);
    }

    @Test
    void refusesWhatIsNotTheProtocol() {
        for (String bad : new String[] {"not json", "[1]", "\"SERVER_READY\"",
                "{\"uid\":\"u\",\"status\":\"WAIT\",\"message\":\"soon\"}",
                "{\"uid\":\"u\",\"segments\":\"hello\"}", "{\"uid\":\"u\",\"segments\":[{\"start\":\"0\"}]}",
                "{\"uid\":\"u\",\"segments\":[{\"start\":\"x\",\"end\":\"1\",\"text\":\"a\"}]}",
                "{\"uid\":\"u\",\"segments\":[{\"start\":\"-1\",\"end\":\"1\",\"text\":\"a\"}]}",
                "{\"uid\":\"u\",\"segments\":[{\"end\":\"1\",\"text\":\"a\"}]}"}) {
            assertThatThrownBy(() -> WhisperLiveCodec.decode(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void audioIsFloat32LittleEndianAndComesBackExactly() {
        short[] samples = {0, 1, -1, 16384, -16384, Short.MAX_VALUE, Short.MIN_VALUE};
        ByteBuffer pcm = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : samples) pcm.putShort(s);
        byte[] f = WhisperLiveCodec.toFloat32(pcm.array(), 0, pcm.capacity());
        ByteBuffer floats = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(f).hasSize(samples.length * 4);
        assertThat(floats.getFloat(3 * 4)).isEqualTo(0.5f);
        assertThat(floats.getFloat(6 * 4)).isEqualTo(-1f);
        assertThat(WhisperLiveCodec.toPcm16(ByteBuffer.wrap(f))).isEqualTo(pcm.array());
        byte[] random = new byte[4096];
        new Random(7).nextBytes(random);
        assertThat(WhisperLiveCodec.toPcm16(ByteBuffer.wrap(WhisperLiveCodec.toFloat32(random, 0, random.length))))
                .isEqualTo(random);
        assertThat(WhisperLiveCodec.isEndOfAudio(ByteBuffer.wrap("END_OF_AUDIO".getBytes()))).isTrue();
        assertThat(WhisperLiveCodec.isEndOfAudio(ByteBuffer.wrap(new byte[12]))).isFalse();
    }

    /** The server's sliding window as it re-sends it: each completed segment is one final, given once. */
    @Test
    void reSentWindowsGiveEachCompletedSegmentOnceAndTheIncompleteOneAsThePartial() {
        SegmentWindow w = new SegmentWindow();
        assertThat(texts(w.accept(List.of(open(0, 1, " Hello"))))).containsExactly("partial:Hello");
        assertThat(texts(w.accept(List.of(open(0, 1.2, " Hello"))))).as("same text, no new partial").isEmpty();
        assertThat(texts(w.accept(List.of(open(0, 2, " Hello there."))))).containsExactly("partial:Hello there.");
        assertThat(texts(w.accept(List.of(done(0, 2.1, " Hello there."), open(2.1, 2.6, " How")))))
                .containsExactly("final:Hello there.", "partial:How");
        assertThat(texts(w.accept(List.of(done(0, 2.1, " Hello there."), open(2.1, 3, " How are")))))
                .as("the completed segment re-sent").containsExactly("partial:How are");
        assertThat(texts(w.accept(List.of(done(0, 2.1, " Hello there."), done(2.1, 3.4, " How are you?")))))
                .as("completed, nothing incomplete after it").containsExactly("final:How are you?");
        assertThat(texts(w.accept(List.of(done(0, 2.1, " Hello there."), done(2.1, 3.4, " How are you?")))))
                .as("the same window again").isEmpty();
        assertThat(w.flush()).as("nothing incomplete left").isEmpty();
    }

    @Test
    void aWindowThatSlidPastTheLastFinalStillGivesEachSegmentOnce() {
        SegmentWindow w = new SegmentWindow();
        List<WhisperLiveSegment> all = new ArrayList<>();
        List<String> finals = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            all.add(done(i, i + 0.9, " s" + i));
            // a window of the last 10, sometimes skipping several messages (the client read slowly)
            if (i % 7 == 3 || i == 29) {
                for (SegmentWindow.Update u : w.accept(all.subList(Math.max(0, all.size() - 10), all.size()))) {
                    finals.add(((SegmentWindow.Update.Final) u).segment().text());
                }
            }
        }
        // Windows at i = 3, 10, 17, 24, 29: segments that slid out between two of them are gone for the client
        // too (the real server re-sends only the last n); every one seen is given once, in order.
        assertThat(finals).doesNotHaveDuplicates();
        assertThat(finals).containsSubsequence("s0", "s3", "s4", "s10", "s29");
        assertThat(finals).isSortedAccordingTo((a, b) -> Integer.compare(Integer.parseInt(a.substring(1)),
                Integer.parseInt(b.substring(1))));
    }

    @Test
    void theIncompleteSegmentLeftAtTheEndIsTheLastFinalOnce() {
        SegmentWindow w = new SegmentWindow();
        w.accept(List.of(done(0.5, 2, " One."), open(2, 3, " two thr")));
        w.accept(List.of(done(0.5, 2, " One."), open(2, 3.8, " Two three.")));
        assertThat(w.reachedSeconds()).as("how far the server has transcribed").isEqualTo(3.8);
        Segment last = w.flush().orElseThrow();
        assertThat(last).isEqualTo(new Segment("Two three.", 2, 3.8, List.of()));
        assertThat(w.flush()).as("a second flush").isEmpty();
        assertThat(texts(w.accept(List.of(done(0.5, 2, " One."), done(2, 3.8, " Two three.")))))
                .as("the server completing it afterwards").isEmpty();
    }

    @Test
    void emptyAndBlankSegmentsGiveNothing() {
        SegmentWindow w = new SegmentWindow();
        assertThat(w.accept(List.of())).isEmpty();
        assertThat(w.accept(List.of(done(0, 1, " "), open(1, 2, "")))).isEmpty();
        assertThat(w.flush()).isEmpty();
    }

    @Test
    void settingsAreCheckedAndCredentialsNeverShow() throws Exception {
        Path cache = Path.of("target");
        assertThatThrownBy(() -> WhisperLiveConfig.from(new EngineContext(Map.of(), cache)))
                .isInstanceOf(EngineUnavailableException.class).hasMessageContaining("WHISPERLIVE_URL");
        assertThatThrownBy(() -> WhisperLiveConfig.from(new EngineContext(Map.of("WHISPERLIVE_URL", "http://x:9090"),
                cache))).hasMessageContaining("ws://");
        assertThatThrownBy(() -> WhisperLiveConfig.from(new EngineContext(Map.of("WHISPERLIVE_URL", "ws://x:9090",
                "WHISPERLIVE_REPLY_TIMEOUT_MS", "soon"), cache))).hasMessageContaining("WHISPERLIVE_REPLY_TIMEOUT_MS");
        WhisperLiveConfig plain = WhisperLiveConfig.from(new EngineContext(Map.of("WHISPERLIVE_URL", "ws://gpu:9090"),
                cache));
        assertThat(plain.model()).isEqualTo("small");
        assertThat(plain.endpoint()).hasToString("ws://gpu:9090/");
        assertThat(plain.basicAuth()).isEmpty();
        WhisperLiveConfig c = WhisperLiveConfig.from(new EngineContext(Map.of("WHISPERLIVE_URL",
                "wss://asr:s%40cret@gpu-box:443/live", "WHISPERLIVE_MODEL", "large-v3"), cache));
        assertThat(c.toString()).doesNotContain("cret").contains("large-v3");
        assertThat(c.safeUrl()).isEqualTo("wss://gpu-box:443/live");
        assertThat(c.endpoint()).hasToString("wss://gpu-box:443/live");
        assertThat(c.basicAuth()).contains("Basic " + Base64.getEncoder().encodeToString(
                "asr:s@cret".getBytes(StandardCharsets.UTF_8)));
    }
}
