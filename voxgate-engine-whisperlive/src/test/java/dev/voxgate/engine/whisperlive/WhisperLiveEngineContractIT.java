package dev.voxgate.engine.whisperlive;

import dev.voxgate.api.StreamingEngine;
import dev.voxgate.testkit.SpeechEngineContract;

/** The SPI contract, through the whisperlive engine to the fake WhisperLive server recognising with Vosk. */
class WhisperLiveEngineContractIT extends SpeechEngineContract {
    @Override
    protected StreamingEngine engine() {
        return Recognizer.shared();
    }
}
