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
}
