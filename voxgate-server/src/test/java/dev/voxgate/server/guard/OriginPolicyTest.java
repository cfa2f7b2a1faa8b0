package dev.voxgate.server.guard;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class OriginPolicyTest {
    @Test
    void byDefaultOnlyTheServersOwnOrigin() {
        OriginPolicy p = new OriginPolicy(List.of(), Optional.empty());
        assertThat(p.allows("http://localhost:8080", "localhost:8080")).isTrue();
        assertThat(p.allows("https://stt.example.com", "stt.example.com")).isTrue();
        assertThat(p.allows("https://stt.example.com:443", "stt.example.com")).isTrue();
        assertThat(p.allows("https://evil.example", "localhost:8080")).isFalse();
        assertThat(p.allows("http://localhost:9999", "localhost:8080")).isFalse();
        assertThat(p.allows("null", "localhost:8080")).isFalse();
        assertThat(p.allows("http://localhost:8080", null)).isFalse();
        assertThat(p.corsAllowed("http://localhost:8080")).as("same origin needs no CORS").isFalse();
    }

    @Test
    void listedOriginsAndThePublicUrlAreAllowedAndGetCors() {
        OriginPolicy p = new OriginPolicy(List.of("https://app.example.com"),
                Optional.of(URI.create("https://stt.example.com/")));
        assertThat(p.allows("https://APP.example.com", "internal:8080")).isTrue();
        assertThat(p.corsAllowed("https://app.example.com")).isTrue();
        assertThat(p.allows("https://stt.example.com", "10.0.0.5:8080")).isTrue();
        assertThat(p.allows("http://app.example.com", "internal:8080")).as("scheme differs").isFalse();
        assertThat(p.corsAllowed("https://app.example.com.evil.example")).isFalse();
    }

    @Test
    void aStarAllowsAnyRealOrigin() {
        OriginPolicy p = new OriginPolicy(List.of("*"), Optional.empty());
        assertThat(p.allows("https://anything.example", "x")).isTrue();
        assertThat(p.allows("null", "x")).isFalse();
        assertThat(p.allows("file:///etc/passwd", "x")).isFalse();
    }

    @Test
    void onlyOriginsNormalise() {
        assertThat(OriginPolicy.normalise("HTTP://Example.COM:80")).contains("http://example.com");
        assertThat(OriginPolicy.normalise("https://a.example:8443")).contains("https://a.example:8443");
        assertThat(OriginPolicy.normalise("https://user@a.example")).isEmpty();
        assertThat(OriginPolicy.normalise("https://a.example/path")).isEmpty();
        assertThat(OriginPolicy.normalise("ws://a.example")).isEmpty();
        assertThat(OriginPolicy.normalise("%%%")).isEmpty();
    }
}
