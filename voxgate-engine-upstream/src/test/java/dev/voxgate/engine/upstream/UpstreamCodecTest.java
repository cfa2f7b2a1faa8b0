package dev.voxgate.engine.upstream;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineUnavailableException;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.Word;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class UpstreamCodecTest {
    @Test
    void readsEveryMessageOfTheNativeProtocol() {
        assertThat(UpstreamCodec.decode(
                "{\"type\":\"ready\",\"sessionId\":\"s1\",\"engine\":\"vosk\",\"sampleRate\":16000}"))
                .isEqualTo(new UpstreamMessage.Ready("s1", "vosk"));
        assertThat(UpstreamCodec.decode("{\"type\":\"partial\",\"text\":\"hello wor\"}"))
                .isEqualTo(new UpstreamMessage.Partial("hello wor"));
        var f = (UpstreamMessage.Final) UpstreamCodec.decode("{\"type\":\"final\",\"text\":\"hello world\","
                + "\"start\":0.42,"
                + "\"end\":1.37,\"words\":[{\"word\":\"hello\",\"start\":0.42,\"end\":0.8,\"confidence\":0.98},"
                + "{\"word\":\"world\",\"start\":0.86,\"end\":1.37,\"confidence\":1.0}]}");
        assertThat(f.segment().text()).isEqualTo("hello world");
        assertThat(f.segment().start()).isEqualTo(0.42);
        assertThat(f.segment().words()).containsExactly(new Word("hello", 0.42, 0.8, 0.98),
                new Word("world", 0.86, 1.37, 1.0));
        assertThat(UpstreamCodec.decode("{\"type\":\"error\",\"code\":\"over_capacity\",\"message\":\"full\"}"))
                .isEqualTo(new UpstreamMessage.Error("over_capacity", "full"));
        assertThat(UpstreamCodec.decode("{\"type\":\"notice\",\"code\":\"engine_fallback\"}"))
                .isEqualTo(new UpstreamMessage.Other("notice"));
    }

    @Test
    void refusesWhatIsNotTheProtocol() {
        for (String bad : new String[] {"not json", "[1]", "{\"text\":\"x\"}", "{\"type\":\"final\",\"text\":17}",
                "{\"type\":\"final\",\"text\":\"x\"}", "{\"type\":\"final\",\"text\":\"x\",\"start\":2,\"end\":1}"}) {
            assertThatThrownBy(() -> UpstreamCodec.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void settingsAreCheckedAndTheKeyNeverShows() throws Exception {
        Path cache = Path.of("target");
        assertThatThrownBy(() -> UpstreamConfig.from(new EngineContext(Map.of(), cache)))
                .isInstanceOf(EngineUnavailableException.class).hasMessageContaining("UPSTREAM_URL");
        assertThatThrownBy(() -> UpstreamConfig.from(new EngineContext(Map.of("UPSTREAM_URL", "http://x/v1/listen"),
                cache))).hasMessageContaining("ws://");
        assertThatThrownBy(() -> UpstreamConfig.from(new EngineContext(Map.of("UPSTREAM_URL", "ws://x/v1/listen",
                "UPSTREAM_REPLY_TIMEOUT_MS", "soon"), cache))).hasMessageContaining("UPSTREAM_REPLY_TIMEOUT_MS");
        UpstreamConfig c = UpstreamConfig.from(new EngineContext(Map.of("UPSTREAM_URL",
                "wss://user:pw@gpu-box:8443/edge/v1/listen", "UPSTREAM_API_KEY", "vg_secret", "UPSTREAM_ENGINE",
                "vosk+whisper"), cache));
        assertThat(c.toString()).doesNotContain("vg_secret").doesNotContain("pw");
        assertThat(c.safeUrl()).isEqualTo("wss://gpu-box:8443/edge/v1/listen");
        assertThat(c.readyUrl()).hasToString("https://gpu-box:8443/edge/ready");
        assertThat(UpstreamSession.listenUri(c, new SessionOptions(16000, "en")).toString())
                .endsWith("/edge/v1/listen?sample_rate=16000&language=en&engine=vosk%2Bwhisper")
                .doesNotContain("vg_secret");
    }
}
