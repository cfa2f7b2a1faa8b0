package dev.voxgate.engine.upstream;

import dev.voxgate.api.StreamingEngine;
import dev.voxgate.testkit.SpeechEngineContract;

/** The SPI contract, through the upstream engine to a second real Voxgate running Vosk. */
class UpstreamEngineContractIT extends SpeechEngineContract {
    @Override
    protected StreamingEngine engine() {
        return Recognizer.sharedUpstream();
    }
}
