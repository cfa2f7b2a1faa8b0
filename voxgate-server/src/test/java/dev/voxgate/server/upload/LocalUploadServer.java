package dev.voxgate.server.upload;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.voxgate.server.config.UploadConfig;
import dev.voxgate.server.error.HttpErrorMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An {@link UploadReceiver} behind one route, {@code POST /upload}, that receives as the OpenAI and job routes do
 * (a refusal answered through {@link HttpErrorMapper}, anything else thrown a 500, {@link RequestBodies} after),
 * reached in process through a {@link LocalConnector}: raw HTTP in, the answer out, no sockets. One request at a
 * time.
 */
final class LocalUploadServer implements AutoCloseable {
    private final UploadReceiver receiver;
    private final Javalin app;
    private final AtomicReference<LocalConnector> local = new AtomicReference<>();
    private final AtomicReference<Received> received = new AtomicReference<>();
    private final AtomicReference<Exception> unexpected = new AtomicReference<>();
    private final Level logLevel;

    /** What the route saw of a received upload while it was open. */
    record Received(String displayName, long size, long sizeOnDisk, Path folder, Map<String, String> fields,
                    Map<String, List<String>> multiFields) {
    }

    /**
     * @param status     the HTTP status
     * @param body       the answer's body
     * @param received   the upload, when the route received one
     * @param unexpected what the route threw other than an {@link UploadException} (answered with 500)
     */
    record Answer(int status, String body, Received received, Exception unexpected) {
    }

    LocalUploadServer(Path dataDir, long maxFileBytes) {
        Logger log = (Logger) LoggerFactory.getLogger(UploadReceiver.class);
        logLevel = log.getLevel();
        log.setLevel(Level.WARN); // a line per unreadable form: fuzzing sends thousands a second
        receiver = new UploadReceiver(new UploadConfig(maxFileBytes, Set.of("wav"), dataDir));
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = 0;
            cfg.jetty.addConnector((server, http) -> {
                LocalConnector c = new LocalConnector(server, new HttpConnectionFactory(http));
                local.set(c);
                return c;
            });
            cfg.routes.post("/upload", this::receive);
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                unexpected.set(e);
                ctx.status(500);
            });
            cfg.routes.after(RequestBodies::discardUnread);
        }).start();
    }

    private void receive(Context ctx) throws IOException {
        try (Upload upload = receiver.receive(ctx, "file")) {
            long onDisk = Files.exists(upload.file()) ? Files.size(upload.file()) : -1;
            received.set(new Received(upload.displayName(), upload.size(), onDisk, upload.file().getParent(),
                    upload.fields(), upload.multiFields()));
            ctx.result("received");
        } catch (UploadException e) {
            HttpErrorMapper.OPENAI.send(ctx, e.error());
        }
    }

    /** The receiver's own folder for uploads in flight. */
    Path folder() {
        return receiver.folder();
    }

    /** Sends one request; null when no answer came within 10 s. */
    Answer post(String contentType, boolean chunked, byte[] body) throws Exception {
        received.set(null);
        unexpected.set(null);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST /upload HTTP/1.1\r\nHost: local\r\nConnection: close\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.length) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        if (chunked) {
            for (int at = 0; at < body.length; at += 97) {
                int n = Math.min(97, body.length - at);
                request.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                request.write(body, at, n);
                request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            request.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            request.writeBytes(body);
        }
        ByteBuffer answer = local.get().getResponse(ByteBuffer.wrap(request.toByteArray()), 10, TimeUnit.SECONDS);
        if (answer == null) return null;
        HttpTester.Response r = HttpTester.parseResponse(answer);
        return new Answer(r.getStatus(), r.getContent(), received.get(), unexpected.get());
    }

    @Override
    public void close() {
        app.stop();
        receiver.close();
        ((Logger) LoggerFactory.getLogger(UploadReceiver.class)).setLevel(logLevel);
    }
}
