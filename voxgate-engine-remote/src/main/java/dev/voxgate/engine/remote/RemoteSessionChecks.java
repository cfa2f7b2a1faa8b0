package dev.voxgate.engine.remote;

import dev.voxgate.api.EngineCapabilities;
import dev.voxgate.api.SessionOptions;
import dev.voxgate.api.UnsupportedAudioException;

/** What every remote engine checks before it contacts its remote: audio at its rate, a language it is set up for. */
public final class RemoteSessionChecks {
    private RemoteSessionChecks() {
    }

    /**
     * @param engine           the engine's id, for the message
     * @param languagesSetting the variable that sets the engine's languages, so the message says what to change
     * @throws UnsupportedAudioException naming what the engine takes instead
     */
    public static void requireSupported(String engine, EngineCapabilities caps, SessionOptions options,
            String languagesSetting) throws UnsupportedAudioException {
        if (!caps.acceptsSampleRate(options.sampleRate())) {
            throw new UnsupportedAudioException("the " + engine + " engine takes " + caps.preferredSampleRate()
                    + " Hz audio, not " + options.sampleRate() + " Hz (the server resamples to "
                    + caps.preferredSampleRate() + ")");
        }
        if (!caps.supportsLanguage(options.language())) {
            throw new UnsupportedAudioException("the " + engine + " engine is configured for " + caps.languages()
                    + " (" + languagesSetting + "), not language '" + options.language() + "'");
        }
    }
}
