package dev.voxgate.server.transport;

import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.session.SessionRequest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Parses the query of {@code /v1/listen}: {@code sample_rate}, {@code engine}, {@code language}. */
public final class ListenParameters {
    public static final int MIN_RATE = 8000;
    public static final int MAX_RATE = 48000;
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._+-]{0,63}");
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*");

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
        String engine = first(query, "engine");
        if (engine != null) {
            // A literal '+' in a query decodes to a space, and no id has spaces: engine=vosk+whisper means what it says.
            engine = engine.strip().replace(' ', '+').toLowerCase(Locale.ROOT);
            if (!ID.matcher(engine).matches()) {
                return new Result.Invalid(ErrorCode.UNKNOWN_ENGINE, "engine '" + clip(engine) + "' is not a valid engine id");
            }
        }
        String language = first(query, "language");
        if (language != null && !LANGUAGE.matcher(language.strip()).matches()) {
            return new Result.Invalid(ErrorCode.INVALID_PARAMETER, "language '" + clip(language) + "' is not a language tag such as en or en-US");
        }
        return new Result.Valid(new SessionRequest(engine, rate, language == null ? null : language.strip()));
    }

    private static Result invalidRate(String raw) {
        return new Result.Invalid(ErrorCode.INVALID_PARAMETER, "sample_rate '" + clip(raw) + "' is invalid: send a whole number of Hz from "
                + MIN_RATE + " to " + MAX_RATE + " (16000 is best)");
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
