/**
 * Two-pass streaming: a fast engine (Vosk) gives partials and closes utterances; each closed
 * utterance's audio is decoded again by an accurate engine (Whisper) whose text becomes the final.
 * The engines are the process's shared instances, found through {@link dev.voxgate.api.EngineLookup}.
 */
package dev.voxgate.engine.twopass;
