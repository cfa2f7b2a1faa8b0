package dev.voxgate.engine.kyutai;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class KyutaiCodecTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static String str(String s) { // a fixstr
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return String.format("%02x", 0xa0 | b.length) + HexFormat.of().formatHex(b);
    }

    @Test
    void writesAudioAndMarkerAsKyutaisClientsDo() {
        float[] pcm = new float[FakeMoshiServer.FRAME];
        pcm[0] = 0.5f;
        pcm[1] = -1f;
        byte[] audio = KyutaiCodec.audio(pcm, 0, pcm.length);
        // {"type":"Audio","pcm":[…1920 single floats]}: fixmap 2, array16 of 0x0780, float32 0.5, -1.0, 0.0 …
        String head = "82" + str("type") + str("Audio") + str("pcm") + "dc0780" + "ca3f000000" + "cabf800000"
                + "ca00000000";
        assertThat(HexFormat.of().formatHex(audio)).startsWith(head);
        assertThat(audio).hasSize(head.length() / 2 + 5 * (FakeMoshiServer.FRAME - 3));
        assertThat(KyutaiCodec.marker(1)).isEqualTo(hex("82" + str("type") + str("Marker") + str("id") + "01"));
        assertThat(KyutaiCodec.audio(pcm, 1, 1)).isEqualTo(hex("82" + str("type") + str("Audio") + str("pcm")
                + "91" + "cabf800000"));
    }

    @Test
    void readsEveryMessageMoshiServerSends() {
        // As rmp_serde writes serde's internally tagged OutMsg with struct maps: "type" first, f64 times.
        assertThat(KyutaiCodec.decode(hex("81" + str("type") + str("Ready")))).isEqualTo(new KyutaiMessage.Ready());
        assertThat(KyutaiCodec.decode(hex("83" + str("type") + str("Word") + str("text") + str("hello")
                + str("start_time") + "cb3ff4000000000000")))
                .isEqualTo(new KyutaiMessage.Word("hello", 1.25));
        assertThat(KyutaiCodec.decode(hex("82" + str("type") + str("EndWord") + str("stop_time")
                + "cb3ff8000000000000"))).isEqualTo(new KyutaiMessage.EndWord(1.5));
        assertThat(KyutaiCodec.decode(hex("84" + str("type") + str("Step") + str("step_idx") + "cd0100"
                + str("prs") + "94" + "ca3f000000" + "ca3f000000" + "ca3f800000" + "ca00000000"
                + str("buffered_pcm") + "00")))
                .isEqualTo(new KyutaiMessage.Step(256, List.of(0.5f, 0.5f, 1f, 0f), 0));
        assertThat(KyutaiCodec.decode(hex("82" + str("type") + str("Marker") + str("id") + "01")))
                .isEqualTo(new KyutaiMessage.Marker(1));
        assertThat(KyutaiCodec.decode(FakeMoshiServer.map("Error", "message", "no free channels")))
                .isEqualTo(new KyutaiMessage.Error("no free channels"));
        assertThat(KyutaiCodec.decode(hex("82" + str("type") + str("Future") + str("x") + "c0")))
                .isEqualTo(new KyutaiMessage.Other("Future"));
        // Integer times (a server that writes whole seconds compactly) and unknown fields are read too.
        assertThat(KyutaiCodec.decode(hex("84" + str("type") + str("Word") + str("text") + str("hi")
                + str("start_time") + "02" + str("new") + "c3"))).isEqualTo(new KyutaiMessage.Word("hi", 2));
    }

    @Test
    void refusesWhatIsNotTheProtocol() {
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        big.writeBytes(KyutaiCodec.marker(1));
        big.writeBytes(KyutaiCodec.marker(2));
        for (byte[] bad : List.of(new byte[0], hex("c1"), hex("93010203"),
                "not msgpack".getBytes(StandardCharsets.UTF_8),
                hex("81" + str("text") + str("x")), hex("81" + str("type") + "07"),
                hex("82" + str("type") + str("Word") + str("text") + str("x")),
                hex("82" + str("type") + str("Word") + "01" + str("x")),
                hex("83" + str("type") + str("Word") + str("text") + str("x") + str("start_time") + str("soon")),
                hex("82" + str("type") + str("EndWord") + str("stop_time") + "cb7ff8000000000000"), // NaN
                hex("82" + str("type") + str("Marker") + str("id") + "ca3f000000"),
                hex("82" + str("type") + str("Step") + str("prs") + "01"),
                hex("82" + str("type") + str("Marker") + str("id")), // truncated
                big.toByteArray())) {
            assertThatThrownBy(() -> KyutaiCodec.decode(bad)).as(HexFormat.of().formatHex(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void settingsAreCheckedAndTheKeyNeverShows() throws Exception {
        Path cache = Path.of("target");
        assertThatThrownBy(() -> KyutaiConfig.from(new EngineContext(Map.of(), cache)))
                .isInstanceOf(EngineUnavailableException.class).hasMessageContaining("KYUTAI_URL");
        assertThatThrownBy(() -> KyutaiConfig.from(new EngineContext(Map.of("KYUTAI_URL", "http://x:8080"), cache)))
                .hasMessageContaining("ws://");
        assertThatThrownBy(() -> KyutaiConfig.from(new EngineContext(Map.of("KYUTAI_URL",
                "ws://x:8080/api/asr-streaming?auth_id=secret"), cache))).hasMessageContaining("KYUTAI_API_KEY")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> KyutaiConfig.from(new EngineContext(Map.of("KYUTAI_URL", "ws://x:8080",
                "KYUTAI_REPLY_TIMEOUT_MS", "soon"), cache))).hasMessageContaining("KYUTAI_REPLY_TIMEOUT_MS");
        KyutaiConfig c = KyutaiConfig.from(new EngineContext(Map.of("KYUTAI_URL",
                "wss://user:pw@gpu-box:8443/stt/api/asr-streaming", "KYUTAI_API_KEY", "kyutai_secret"), cache));
        assertThat(c.toString()).doesNotContain("kyutai_secret").doesNotContain("pw");
        assertThat(c.safeUrl()).isEqualTo("wss://gpu-box:8443/stt/api/asr-streaming");
        assertThat(c.probeUrl()).hasToString("https://gpu-box:8443/stt/api/build_info");
        assertThat(c.languages()).containsExactly("en");
        KyutaiConfig bare = KyutaiConfig.from(new EngineContext(Map.of("KYUTAI_URL", "ws://gpu-box:8080/",
                "KYUTAI_LANGUAGES", "en, fr"), cache));
        assertThat(bare.url()).hasToString("ws://gpu-box:8080/api/asr-streaming");
        assertThat(bare.probeUrl()).hasToString("http://gpu-box:8080/api/build_info");
        assertThat(bare.languages()).containsExactly("en", "fr");
    }
}
