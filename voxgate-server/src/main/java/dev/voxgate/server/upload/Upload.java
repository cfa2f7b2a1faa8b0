package dev.voxgate.server.upload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An uploaded file, saved under a name of our own in {@code DATA_DIR/incoming}, with the form's
 * text fields. The caller owns the file: move it into storage or {@link #close} deletes it.
 *
 * @param file        where the bytes are; its name never comes from the client
 * @param displayName the client's file name, cleaned for showing (never used as a path)
 * @param size        bytes received
 * @param fields      the other form fields (first value of each), e.g. {@code model}, {@code language}
 * @param multiFields fields that may repeat, e.g. {@code timestamp_granularities[]}
 */
public record Upload(Path file, String displayName, long size, Map<String, String> fields,
                     Map<String, List<String>> multiFields) implements AutoCloseable {

    public Optional<String> field(String name) {
        String v = fields.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    public List<String> all(String name) {
        return multiFields.getOrDefault(name, List.of());
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Left for the start-up sweep of DATA_DIR/incoming.
        }
    }
}
