package dev.voxgate.engine.whisper;

import dev.voxgate.api.StreamingEngine;
import dev.voxgate.testkit.SpeechEngineContract;

/** The SPI contract on the bundled Whisper tiny.en and Silero VAD, through the module's shared engine. */
class WhisperEngineContractIT extends SpeechEngineContract {
    @Override
    protected StreamingEngine engine() throws Exception {
        return Speech.engine();
    }
}
