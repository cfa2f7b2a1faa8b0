package dev.voxgate.engine.vosk;

import dev.voxgate.api.StreamingEngine;
import dev.voxgate.testkit.SpeechEngineContract;

/** The SPI contract on the bundled Vosk model. */
class VoskEngineContractTest extends SpeechEngineContract {
    @Override
    protected StreamingEngine engine() throws Exception {
        return SharedVoskEngine.get();
    }
}
