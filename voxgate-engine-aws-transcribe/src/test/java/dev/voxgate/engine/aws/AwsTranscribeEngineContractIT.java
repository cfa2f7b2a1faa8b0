package dev.voxgate.engine.aws;

import dev.voxgate.api.StreamingEngine;
import dev.voxgate.testkit.SpeechEngineContract;

/** The SPI contract, through the real AWS SDK to a fake Transcribe (its wire protocol) recognising with Vosk. */
class AwsTranscribeEngineContractIT extends SpeechEngineContract {
    @Override
    protected StreamingEngine engine() {
        return Recognizer.shared();
    }
}
