package dev.voxgate.server.guard;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the API key file ({@code API_KEYS_FILE}): whatever its bytes, {@link ApiKeyFile#parse}
 * gives entries with unique, well-formed ids that survive {@code format} and a second {@code parse} unchanged, or a
 * {@link KeyFileException} naming a line of the file, and nothing else. The same text, presented as a key, is read
 * by {@link ApiKeyFile#idOf} without surprises. docs/testing.md, "Fuzzing".
 */
@Timeout(120)
class ApiKeyFileFuzzTest {
    private static final Pattern LINE = Pattern.compile("line ([0-9]+): .+");

    @FuzzTest(maxDuration = "15s")
    @Timeout(5)
    @DictionaryEntries({"sha256:", "\t", "  ", "#", "2026-12-04T02:00:00Z", ".123456789Z", "+01:00", "vg_",
            "0123456789abcdef", "laptop"})
    void parseReadsAKeyFileOrNamesTheBadLine(byte[] file) {
        String text = new String(file, StandardCharsets.UTF_8);
        int lines = text.split("\r?\n", -1).length;
        String id = ApiKeyFile.idOf(text);
        if (id != null) assertThat(text).startsWith("vg_" + id + "_");

        List<ApiKeyFile.Entry> entries;
        try {
            entries = ApiKeyFile.parse(text);
        } catch (KeyFileException e) {
            Matcher m = LINE.matcher(e.getMessage());
            assertThat(m.matches()).as("names the line: %s", e.getMessage()).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isBetween(1, lines);
            assertThat(e.getMessage()).hasSizeLessThan(200);
            return;
        }
        assertThat(entries.size()).isLessThanOrEqualTo(lines);
        Set<String> ids = new HashSet<>();
        for (ApiKeyFile.Entry e : entries) assertThat(ids.add(e.id())).as("id %s twice", e.id()).isTrue();

        // What `voxgate keys` writes back is read back the same, and written the same again.
        String formatted = ApiKeyFile.format(entries);
        List<ApiKeyFile.Entry> again = ApiKeyFile.parse(formatted);
        assertThat(again.stream().map(ApiKeyFileFuzzTest::describe).toList())
                .isEqualTo(entries.stream().map(ApiKeyFileFuzzTest::describe).toList());
        assertThat(ApiKeyFile.format(again)).isEqualTo(formatted);
    }

    /** An entry's fields as text (a record with an array does not compare by content). */
    private static String describe(ApiKeyFile.Entry e) {
        return e.id() + " " + e.name() + " " + HexFormat.of().formatHex(e.sha256()) + " " + e.created();
    }
}
