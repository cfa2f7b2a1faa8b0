package dev.voxgate.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's own files (docs/, sources) for tests that keep them in step with the code. */
public final class Docs {
    private static final Pattern CODE_ROW = Pattern.compile("^\\|\\s*`([a-z_]+)`\\s*\\|(.*)$");

    private Docs() {
    }

    /** The repository root: the nearest folder above the working directory that has docs/protocol.md. */
    public static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docs/protocol.md"))) return p;
        }
        throw new IllegalStateException("no docs/protocol.md above " + Path.of("").toAbsolutePath());
    }

    public static String read(String relative) {
        try {
            return Files.readString(root().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The rows of markdown tables whose first cell is a code in backquotes, as code → the other
     * cells (trimmed), in the order they appear. A header row (one followed by {@code |---|}) is not a row.
     */
    public static Map<String, List<String>> codeRows(String markdown) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        String[] lines = markdown.split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = CODE_ROW.matcher(lines[i].strip());
            boolean header = i + 1 < lines.length && lines[i + 1].strip().matches("\\|[\\s:|-]+");
            if (!m.matches() || header) continue;
            String rest = m.group(2);
            if (rest.endsWith("|")) rest = rest.substring(0, rest.length() - 1);
            List<String> cells = Arrays.stream(rest.split("\\|", -1)).map(String::strip).toList();
            if (rows.put(m.group(1), cells) != null) throw new AssertionError("`" + m.group(1) + "` is listed twice");
        }
        return rows;
    }

    /** The text under the markdown heading {@code heading} (any level), up to the next heading of any level. */
    public static String section(String markdown, String heading) {
        Matcher m = Pattern.compile("(?m)^#+ " + Pattern.quote(heading) + "\\s*$").matcher(markdown);
        if (!m.find()) throw new AssertionError("no heading '" + heading + "'");
        Matcher next = Pattern.compile("(?m)^#+ ").matcher(markdown);
        int end = next.find(m.end()) ? next.start() : markdown.length();
        return markdown.substring(m.end(), end);
    }
}
