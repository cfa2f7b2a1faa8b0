package dev.voxgate.engine.twopass;

import dev.voxgate.api.StreamingEngine;
import dev.voxgate.testkit.SpeechEngineContract;

/**
 * The SPI contract on {@code vosk+whisper} made of the real engines (an IT, as it loads Whisper like the Whisper
 * module's ITs).
 */
class TwoPassEngineContractIT extends SpeechEngineContract {
    @Override
    protected StreamingEngine engine() throws Exception {
        return RealEngines.twoPass();
    }

    /**
     * Whisper hears the window Vosk's endpoint closes, and where that endpoint falls moves with the chunking (and with
     * when a decode ahead ran): a window a few frames longer or shorter can turn one word of Whisper's into another.
     * Seen in CI: "…have feathers and can fly" fed normally, "…and comply" fed one sample at a time, 2 edits in 16
     * words. A lost or repeated utterance is still far over this bound.
     */
    @Override
    protected double chunkingWerBound() {
        return 0.15;
    }
}
