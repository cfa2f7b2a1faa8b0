package dev.voxgate.server.upload;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Forms through Jetty's multipart parser into the receiver, as the routes receive them (in process). */
@Timeout(60)
class UploadReceiverFormsTest {
    private static final String TYPE = "multipart/form-data; boundary=xYz";

    @TempDir
    static Path data;
    private static LocalUploadServer server;

    @BeforeAll
    static void start() {
        server = new LocalUploadServer(data, 1024);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static byte[] form(String fileName, byte[] content, String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < fields.length; i += 2) {
            out.writeBytes(("--xYz\r\nContent-Disposition: form-data; name=\"" + fields[i] + "\"\r\n\r\n"
                    + fields[i + 1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--xYz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes("\r\n--xYz--\r\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void aFormIsReceivedWithItsFields() throws Exception {
        LocalUploadServer.Answer a = server.post(TYPE, false, form("C:\\talks\\a.wav", new byte[100], "model",
                "whisper-1"));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.received().displayName()).isEqualTo("a.wav");
        assertThat(a.received().size()).isEqualTo(100);
        assertThat(a.received().fields()).containsEntry("model", "whisper-1");
    }

    @Test
    void aChunkedFileOverTheLimitIs413() throws Exception {
        LocalUploadServer.Answer a = server.post(TYPE, true, form("big.wav", new byte[2000]));
        assertThat(a.status()).isEqualTo(413);
        assertThat(a.body()).contains("file_too_large");
    }

    /**
     * Fuzzing found it (UploadReceiverFuzzTestInputs/.../unknown-charset-in-content-type): Jetty's getContentType()
     * threw UnsupportedCharsetException, which became a 500 and an error in the log;
     * now a 400 that says what to change.
     */
    @Test
    void aContentTypeNamingAnUnknownCharsetIsNotAServerError() throws Exception {
        LocalUploadServer.Answer a = server.post("multipart/form-data; charset=utf-6; boundary=xYz", false,
                form("a.wav", new byte[10]));
        assertThat(a.unexpected()).isNull();
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body()).contains("the Content-Type names a charset this server does not know ('utf-6')");
        assertThat(server.post("multipart/form-data; charset=\"?\"; boundary=xYz", false, form("a.wav",
                new byte[10])).status()).isEqualTo(400);
        assertThat(server.post("multipart/form-data; charset=utf-8; boundary=xYz", false, form("a.wav",
                new byte[10])).status()).isEqualTo(200);
    }
}
