/**
 * The {@code openai} engine: OpenAI's transcription API ({@code POST {base}/audio/transcriptions}) or any server that
 * speaks it (another Voxgate, a self-hosted Whisper server). Live audio is cut into utterances by Silero VAD and each
 * utterance is posted as a WAV; its text is that utterance's final. {@link OpenAiCodec} holds the wire format (pure
 * functions), {@link OpenAiClient} the HTTP calls, {@link OpenAiEngine} the adapter onto the SPI.
 */
package dev.voxgate.engine.openai;
