package dev.voxgate.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Named settings merged from, in rising precedence: an optional properties file named by
 * {@code VOXGATE_CONFIG}, the environment, and explicit overrides (command-line flags). Typed
 * getters validate and name the variable in every error.
 */
public final class Settings {
    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(values);
    }

    /** Environment first, then the file it names in {@code VOXGATE_CONFIG}, then the overrides on top. */
    public static Settings load(Map<String, String> environment, Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>();
        String file = firstNonBlank(overrides.get("VOXGATE_CONFIG"), environment.get("VOXGATE_CONFIG"));
        if (file != null) merged.putAll(readFile(Path.of(file)));
        environment.forEach((k, v) -> { if (v != null) merged.put(k, v); });
        overrides.forEach((k, v) -> { if (v != null) merged.put(k, v); });
        return new Settings(merged);
    }

    private static Map<String, String> readFile(Path path) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(path)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("VOXGATE_CONFIG=" + path + " cannot be read: " + e.getMessage());
        }
        Map<String, String> out = new HashMap<>();
        p.forEach((k, v) -> out.put(k.toString().strip(), v.toString().strip()));
        return out;
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) return a;
        return b != null && !b.isBlank() ? b : null;
    }

    public Map<String, String> asMap() {
        return values;
    }

    public String string(String name, String fallback) {
        String v = values.get(name);
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    public int integer(String name, int fallback, int min, int max) {
        String v = values.get(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) throw new ConfigException(name + "=" + v + " is out of range: expected " + min
                    + ".." + max);
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + "=" + v + " is not a whole number (expected " + min + ".." + max + ")");
        }
    }

    public Duration millis(String name, Duration fallback, long minMillis) {
        String v = values.get(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            long n = Long.parseLong(v.strip());
            if (n < minMillis) throw new ConfigException(name + "=" + v + " is too small: expected at least "
                    + minMillis + " ms");
            return Duration.ofMillis(n);
        } catch (NumberFormatException e) {
            throw new ConfigException(name + "=" + v + " is not a number of milliseconds");
        }
    }

    public boolean bool(String name, boolean fallback) {
        String v = values.get(name);
        if (v == null || v.isBlank()) return fallback;
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigException(name + "=" + v + " is not true or false");
        };
    }

    public String choice(String name, String fallback, Set<String> allowed) {
        String v = string(name, fallback).toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) throw new ConfigException(name + "=" + values.get(name) + " is not one of "
                + allowed);
        return v;
    }
}
