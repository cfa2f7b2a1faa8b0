package dev.voxgate.server.upload;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.server.LocalConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of uploads through {@link UploadReceiver#receive}, the way the routes use it: a fuzzed
 * {@code Content-Type} and multipart body (declared length or chunked) go through Jetty's multipart parser, in
 * process (a {@link LocalConnector}, no sockets). Whatever arrives, the answer is the upload (a clean display name,
 * within the size limit, saved where the receiver says) or a 400/413 in words, never a 500 or a parser's text, and
 * nothing is left behind in the receiver's folder. docs/testing.md, "Fuzzing".
 *
 * <p>An input is: one byte whose lowest bit chooses chunked transfer, the {@code Content-Type} up to the first
 * newline, then the body.
 */
@Timeout(120)
class UploadReceiverFuzzTest {
    /** Small, so that a fuzzed body can be too large. */
    private static final long MAX_FILE_BYTES = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    private static LocalUploadServer server;

    @BeforeAll
    static void start() {
        server = new LocalUploadServer(data, MAX_FILE_BYTES);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(10)
    void anyBodyIsReceivedOrRefusedInWords(byte[] input) throws Exception {
        boolean chunked = input.length > 0 && (input[0] & 1) == 1;
        int newline = 1;
        while (newline < input.length && input[newline] != '\n') newline++;
        StringBuilder type = new StringBuilder();
        for (int i = 1; i < Math.min(newline, 201); i++) {
            if (input[i] >= 0x20 && input[i] < 0x7f) type.append((char) input[i]); // a header holds no controls
        }
        byte[] body = newline + 1 < input.length ? Arrays.copyOfRange(input, newline + 1, input.length) : new byte[0];

        LocalUploadServer.Answer answer = server.post(type.toString(), chunked, body);
        assertThat(answer).as("an answer within 10 s").isNotNull();
        if (answer.unexpected() != null) throw new AssertionError("the route failed", answer.unexpected());
        assertThat(answer.status()).isIn(200, 400, 413);
        if (answer.status() == 200) {
            LocalUploadServer.Received r = answer.received();
            assertThat(r).isNotNull();
            FileNamesFuzzTest.assertSafeDisplayName(r.displayName());
            assertThat(r.size()).isBetween(1L, MAX_FILE_BYTES).isEqualTo(r.sizeOnDisk());
            assertThat(r.folder()).isEqualTo(server.folder());
            assertThat(r.fields()).hasSizeLessThanOrEqualTo(32);
            assertThat(r.fields().values()).allSatisfy(v -> assertThat(v).hasSizeLessThanOrEqualTo(4096));
            assertThat(r.multiFields().values().stream().mapToInt(List::size).sum()).isLessThanOrEqualTo(32);
        } else if (answer.body().startsWith("{")) { // ours; Jetty answers a request it cannot parse in HTML
            JsonNode error = JSON.readTree(answer.body()).path("error");
            assertThat(error.path("message").asText()).isNotBlank()
                    .doesNotContain("org.eclipse", "Exception", data.toString(), "/tmp");
        }
        try (Stream<Path> left = Files.list(server.folder())) {
            assertThat(left.map(p -> p.getFileName().toString())).as("left in the upload folder")
                    .containsExactly(UploadReceiver.LOCK_FILE);
        }
    }
}
