package dev.voxgate.engine.whisper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;

/**
 * A model file bundled in this jar, with the size and sha256 it must have.
 *
 * <p>The values come from {@code models.properties}, which the build fills in from this module's
 * pom: the same numbers the build checked the npm download against, so the pom is the one place
 * that says which file is expected.
 *
 * @param key    {@code whisper} or {@code vad}
 * @param file   the file name, in the jar and in the cache
 * @param source the npm package and tarball member it came from, for messages
 */
record ModelSpec(String key, String file, long size, String sha256, String source) {
    static final String RESOURCE_DIR = "/dev/voxgate/engine/whisper/model/";
    private static final String PROPERTIES = "/dev/voxgate/engine/whisper/models.properties";

    ModelSpec {
        sha256 = sha256.toLowerCase(Locale.ROOT);
        HexFormat.of().parseHex(sha256); // fails on an unfiltered ${…} placeholder
        if (sha256.length() != 64) throw new IllegalArgumentException("not a sha256: " + sha256);
    }

    static ModelSpec whisper() {
        return load("whisper");
    }

    static ModelSpec vad() {
        return load("vad");
    }

    String resource() {
        return RESOURCE_DIR + file;
    }

    private static ModelSpec load(String key) {
        Properties p = new Properties();
        try (InputStream in = ModelSpec.class.getResourceAsStream(PROPERTIES)) {
            if (in == null) throw new IllegalStateException(PROPERTIES
                    + " is missing from the class path: build this module with Maven");
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ModelSpec(key, p.getProperty(key + ".file"), Long.parseLong(p.getProperty(key + ".size")),
                p.getProperty(key + ".sha256"), p.getProperty(key + ".source"));
    }
}
