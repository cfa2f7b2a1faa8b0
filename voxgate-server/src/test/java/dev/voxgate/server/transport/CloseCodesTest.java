package dev.voxgate.server.transport;

import dev.voxgate.server.Docs;
import dev.voxgate.server.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The native protocol's close codes stay what clients rely on, every code the streaming side can
 * send has one, and docs/protocol.md and the browser client's wording cover exactly those codes.
 */
@Timeout(10)
class CloseCodesTest {
    /** The close codes of the first release (the old session enum), which deployed clients read. */
    private static final Map<String, Integer> RELEASED = Map.ofEntries(
            Map.entry("malformed_message", 1007), Map.entry("unknown_message_type", 1008),
            Map.entry("audio_after_end_stream", 1008), Map.entry("slow_client", 1008),
            Map.entry("frame_too_large", 1009), Map.entry("engine_failure", 1011), Map.entry("internal_error", 1011),
            Map.entry("server_shutdown", 1001), Map.entry("over_capacity", 1013), Map.entry("engine_unavailable", 1013),
            Map.entry("connection_timeout", 4001), Map.entry("inactivity_timeout", 4002),
            Map.entry("transcribe_timeout", 4003), Map.entry("invalid_parameter", 4400),
            Map.entry("unknown_engine", 4404));

    private static Map<String, Integer> streamTable() {
        return CloseCodes.streamCodes().stream()
                .collect(Collectors.toMap(ErrorCode::code, CloseCodes::of, (a, b) -> a, TreeMap::new));
    }

    @Test
    void releasedCloseCodesAreKept() {
        assertThat(streamTable()).containsAllEntriesOf(RELEASED);
        assertThat(CloseCodes.of(ErrorCode.UNSUPPORTED_LANGUAGE)).isEqualTo(4400);
        assertThat(CloseCodes.NORMAL).isEqualTo(1000);
    }

    @Test
    void protocolDocListsEveryStreamCodeWithItsCloseCode() {
        Map<String, Integer> documented = new TreeMap<>();
        Docs.codeRows(Docs.section(Docs.read("docs/protocol.md"), "Error codes and close codes"))
                .forEach((code, cells) -> documented.put(code, Integer.parseInt(cells.get(0))));
        assertThat(documented).as("docs/protocol.md's table of error codes and close codes").isEqualTo(streamTable());
    }

    /** Any {@code ErrorCode.X} the session or transport code names can reach a WebSocket client. */
    @Test
    void everyCodeTheStreamingSideNamesHasADocumentedCloseCode() throws IOException {
        Pattern use = Pattern.compile("ErrorCode\\.([A-Z_]+)");
        Set<String> named = new TreeSet<>();
        Path main = Docs.root().resolve("voxgate-server/src/main/java/dev/voxgate/server");
        for (String pkg : new String[] {"session", "transport"}) {
            try (Stream<Path> files = Files.list(main.resolve(pkg))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    if (f.getFileName().toString().equals("CloseCodes.java")) continue;
                    Matcher m = use.matcher(Files.readString(f));
                    while (m.find()) named.add(m.group(1));
                }
            }
        }
        assertThat(named).as("codes named in session/ and transport/").isNotEmpty();
        Set<String> stream = CloseCodes.streamCodes().stream().map(ErrorCode::name).collect(Collectors.toSet());
        assertThat(stream).as("codes with a close code in CloseCodes").containsAll(named);
    }

    /** The browser client words every streaming code itself (LiveTranscriptBrowserIT checks the same in Chromium). */
    @Test
    void browserClientHasWordsForEveryStreamCode() throws IOException {
        String js;
        try (InputStream in = getClass().getResourceAsStream("/dev/voxgate/web/static/live/messages.js")) {
            assertThat(in).as("voxgate-web's messages.js on the classpath").isNotNull();
            js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String table = js.substring(js.indexOf("const SERVER_ERRORS"),
                js.indexOf("};", js.indexOf("const SERVER_ERRORS")));
        Set<String> worded = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\s*([a-z_]+):\\s*'").matcher(table);
        while (m.find()) worded.add(m.group(1));
        assertThat(worded).containsAll(streamTable().keySet());
    }
}
