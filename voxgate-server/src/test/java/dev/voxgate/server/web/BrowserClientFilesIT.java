package dev.voxgate.server.web;

import dev.voxgate.server.TestServer;
import dev.voxgate.testkit.FakeEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The page and its modules over plain HTTP: types, security headers, and nothing outside the client's folder. */
class BrowserClientFilesIT {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.streaming(Map.of(), FakeEngine.builder("fake").build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void rootServesThePageWithSecurityHeaders() {
        HttpResponse<String> page = server.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\">").contains("id=\"finals\"");
        assertThat(page.headers().firstValue("content-security-policy").orElse(""))
                .contains("default-src 'self'").contains("connect-src 'self'").contains("frame-ancestors 'none'");
        assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("permissions-policy").orElse("")).contains("microphone=(self)");
        assertThat(page.headers().firstValue("cache-control")).hasValue("no-cache");
    }

    @Test
    void modulesAreServedAsJavaScript() {
        for (String path : new String[] {"/app.js", "/live/live-view.js", "/audio/pcm-capture-worklet.js",
                "/audio/downsampler.js", "/http/api.js", "/auth/key-form.js"}) {
            HttpResponse<String> r = server.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type").orElse("")).as(path)
                    .matches("(text|application)/javascript.*");
        }
        assertThat(server.get("/app.css").headers().firstValue("content-type").orElse("")).startsWith("text/css");
    }

    @Test
    void unknownAndEscapingPathsAreNotFound() {
        assertThat(server.get("/nope.js").statusCode()).isEqualTo(404);
        assertThat(server.get("/%2e%2e/%2e%2e/voxgate-build.properties").statusCode()).isIn(400, 404);
        assertThat(server.get("/..%2f..%2fvoxgate-build.properties").statusCode()).isIn(400, 404);
        assertThat(server.get("/dev/voxgate/web/static/index.html").statusCode()).isEqualTo(404);
    }

    @Test
    void apiRoutesStillAnswerBesideThePage() {
        assertThat(server.get("/health").body()).contains("ok");
        assertThat(server.get("/api/modules_info").statusCode()).isEqualTo(200);
    }
}
