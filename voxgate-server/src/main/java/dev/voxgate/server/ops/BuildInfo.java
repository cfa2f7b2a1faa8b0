package dev.voxgate.server.ops;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Version, git commit and build time recorded by the Maven build. */
public record BuildInfo(String version, String commit, String buildTime) {

    public static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/voxgate-build.properties")) {
            if (in != null) p.load(in);
        } catch (IOException ignored) {
            // Reported as unknown below.
        }
        return new BuildInfo(value(p, "version"), value(p, "commit"), value(p, "buildTime"));
    }

    private static String value(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() || v.startsWith("${") ? "unknown" : v;
    }
}
