package dev.voxgate.server.transport;

import dev.voxgate.server.engine.EngineSelector;
import dev.voxgate.server.error.ClientText;
import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.session.SessionRequest;

import java.util.List;
import java.util.Map;

/**
 * Parses the query of {@code /v1/listen}: {@code sample_rate}, {@code engine}, {@code language}. Whether the
 * engine and the language exist is the {@link EngineSelector}'s to say, as for files.
 */
public final class ListenParameters {
    public static final int MIN_RATE = 8000;
    public static final int MAX_RATE = 48000;

    private ListenParameters() {
    }

    /** Either a request or the reason it is invalid. */
    public sealed interface Result {
        record Valid(SessionRequest request) implements Result {
        }

        record Invalid(ErrorCode code, String message) implements Result {
        }
    }

    public static Result parse(Map<String, List<String>> query) {
        int rate = 16000;
        String rawRate = first(query, "sample_rate");
        if (rawRate != null) {
            try {
                rate = Integer.parseInt(rawRate.strip());
            } catch (NumberFormatException e) {
                return invalidRate(rawRate);
            }
            if (rate < MIN_RATE || rate > MAX_RATE) return invalidRate(rawRate);
        }
        // A blank engine or language is as if absent (null: the server's default), never an id of "".
        String engine = nonBlank(first(query, "engine"));
        if (engine != null) {
            // A literal '+' in a query decodes to a space, and no id has spaces: engine=vosk+whisper means what it
            // says.
            // Whether the id names an engine is the selector's to say, in the same words as on every other surface.
            engine = EngineSelector.normalise(engine);
        }
        String language = nonBlank(first(query, "language"));
        return new Result.Valid(new SessionRequest(engine, rate, language == null ? null : language.strip()));
    }

    private static Result invalidRate(String raw) {
        return new Result.Invalid(ErrorCode.INVALID_PARAMETER,
                "sample_rate '" + ClientText.clip(raw, 40) + "' is invalid: send a whole number of Hz from "
                + MIN_RATE + " to " + MAX_RATE + " (16000 is best)");
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

}
