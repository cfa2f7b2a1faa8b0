package dev.voxgate.engine.kyutai;

import dev.voxgate.api.StreamingEngine;
import dev.voxgate.testkit.SpeechEngineContract;

/** The SPI contract, through the kyutai engine to the fake moshi-server recognising with Vosk. */
class KyutaiEngineContractIT extends SpeechEngineContract {
    @Override
    protected StreamingEngine engine() {
        return Recognizer.sharedKyutai();
    }
}
