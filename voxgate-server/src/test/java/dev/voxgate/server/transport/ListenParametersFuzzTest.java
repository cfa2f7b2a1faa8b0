package dev.voxgate.server.transport;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.voxgate.server.engine.EngineSelector;
import dev.voxgate.server.error.ErrorCode;
import dev.voxgate.server.session.SessionRequest;
import org.junit.jupiter.api.Timeout;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the {@code /v1/listen} query as Jetty hands it over (any names, any number of values,
 * any decoded text): {@link ListenParameters#parse} gives a valid request within the documented limits or an
 * {@code invalid_parameter} with a short, well-formed message, and never throws. docs/testing.md, "Fuzzing".
 */
@Timeout(120)
class ListenParametersFuzzTest {
    private static final String[] NAMES = {"sample_rate", "engine", "language", "token", "sample_rate"};

    @FuzzTest(maxDuration = "10s")
    @Timeout(5)
    void parseAnswersEveryQueryWithARequestOrAReason(FuzzedDataProvider data) {
        Map<String, List<String>> query = new HashMap<>();
        int params = data.consumeInt(0, 5);
        for (int i = 0; i < params; i++) {
            String name = data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(12);
            List<String> values = new ArrayList<>();
            int n = data.consumeInt(0, 3);
            for (int v = 0; v < n; v++) values.add(data.consumeString(80));
            query.put(name, values);
        }
        ListenParameters.Result result = ListenParameters.parse(query);
        assertThat(result).isNotNull();
        String rate = first(query, "sample_rate");
        switch (result) {
            case ListenParameters.Result.Valid ok -> {
                SessionRequest r = ok.request();
                assertThat(r.sampleRate()).isBetween(ListenParameters.MIN_RATE, ListenParameters.MAX_RATE);
                if (rate == null) {
                    assertThat(r.sampleRate()).isEqualTo(16000);
                } else {
                    // "a whole number of Hz" (docs/protocol.md): the number sent is the rate used, never one that
                    // wrapped around.
                    assertThat(new BigInteger(rate.strip())).isEqualTo(BigInteger.valueOf(r.sampleRate()));
                }
                // Absent, empty or blank all mean "the default"; anything else arrives normalised.
                assertThat(r.engine()).satisfiesAnyOf(e -> assertThat(e).isNull(), e -> assertThat(e).isNotBlank()
                        .isEqualTo(EngineSelector.normalise(e)).doesNotContain(" "));
                assertThat(r.language()).satisfiesAnyOf(l -> assertThat(l).isNull(), l -> assertThat(l).isNotBlank()
                        .isEqualTo(l.strip()));
            }
            case ListenParameters.Result.Invalid bad -> {
                assertThat(rate).as("only sample_rate can be invalid here").isNotNull();
                assertThat(bad.code()).isEqualTo(ErrorCode.INVALID_PARAMETER);
                assertThat(bad.message()).hasSizeLessThan(200);
                assertWellFormed(bad.message());
            }
        }
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
    }

    /** No lone surrogates: the message goes out as UTF-8 in an error frame, where one would arrive as '?'. */
    static void assertWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertThat(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                        .as("high surrogate at %d of %s without its pair", i, s).isTrue();
                i++;
            } else {
                assertThat(Character.isLowSurrogate(c)).as("lone low surrogate at %d of %s", i, s).isFalse();
            }
        }
    }
}
