package dev.voxgate.engine.remote;

import dev.voxgate.api.EngineContext;
import dev.voxgate.api.EngineUnavailableException;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Reading the settings every remote engine has (timeouts, languages), with errors that name the variable. */
public final class RemoteSettings {
    private RemoteSettings() {
    }

    /** A positive number of milliseconds, or {@code byDefault} when unset. */
    public static Duration millis(EngineContext context, String name, long byDefault)
            throws EngineUnavailableException {
        Optional<String> v = context.setting(name);
        if (v.isEmpty()) return Duration.ofMillis(byDefault);
        try {
            long ms = Long.parseLong(v.get());
            if (ms > 0) return Duration.ofMillis(ms);
        } catch (NumberFormatException e) {
            // below
        }
        throw new EngineUnavailableException(name + " must be a positive number of milliseconds; got '" + v.get()
                + "'");
    }

    /** A comma-separated list of language tags, or {@code byDefault} when unset. */
    public static List<String> languages(EngineContext context, String name, String byDefault) {
        return Arrays.stream(context.setting(name).orElse(byDefault).split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }
}
