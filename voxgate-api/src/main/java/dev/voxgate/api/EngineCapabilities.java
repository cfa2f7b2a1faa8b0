package dev.voxgate.api;

import java.util.List;
import java.util.Locale;

/**
 * What an engine can do, as data: shown by {@code /api/modules_info} and used by the session layer
 * to decide whether audio must be resampled before it reaches the engine.
 *
 * @param streaming           accepts audio incrementally and emits results while audio arrives
 * @param partials            emits partial (unstable) texts before an utterance is final
 * @param wordTimings         finals carry per-word start/end/confidence
 * @param sampleRates         the PCM sample rates the engine takes natively; the session layer
 *                            resamples any other client rate to {@link #preferredSampleRate()}
 * @param preferredSampleRate the rate the engine's model was trained on
 * @param languages           BCP-47 language tags (e.g. {@code en})
 */
public record EngineCapabilities(
        boolean streaming,
        boolean partials,
        boolean wordTimings,
        List<Integer> sampleRates,
        int preferredSampleRate,
        List<String> languages) {

    public EngineCapabilities {
        sampleRates = List.copyOf(sampleRates);
        languages = List.copyOf(languages);
        if (!sampleRates.contains(preferredSampleRate)) {
            throw new IllegalArgumentException("preferred rate " + preferredSampleRate + " is not among "
                    + sampleRates);
        }
    }

    public boolean acceptsSampleRate(int rate) {
        return sampleRates.contains(rate);
    }

    public boolean supportsLanguage(String language) {
        if (language == null || language.isBlank()) return true;
        String primary = language.toLowerCase(Locale.ROOT).split("[-_]")[0];
        return languages.stream().anyMatch(l -> l.equalsIgnoreCase(language) || l.equalsIgnoreCase(primary));
    }
}
