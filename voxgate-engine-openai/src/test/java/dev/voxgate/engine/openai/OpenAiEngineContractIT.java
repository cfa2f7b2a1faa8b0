package dev.voxgate.engine.openai;

import dev.voxgate.api.StreamingEngine;
import dev.voxgate.testkit.SpeechEngineContract;

/** The SPI contract, through the openai engine to a second real Voxgate's /v1/audio/transcriptions (Whisper). */
class OpenAiEngineContractIT extends SpeechEngineContract {
    @Override
    protected StreamingEngine engine() {
        return Recognizer.sharedOpenAi();
    }
}
