/**
 * Audio as the engines take it: mono signed 16-bit PCM. {@link dev.voxgate.audio.Pcm16} converts bytes and
 * samples, {@link dev.voxgate.audio.Pcm16Assembler} joins frames cut anywhere, {@link dev.voxgate.audio.Resampler}
 * changes the rate as a stream, and {@link dev.voxgate.audio.WavReader} and {@link dev.voxgate.audio.WavWriter}
 * read and write WAV files. Sub-packages: {@code decode} (the audio-file decoder SPI) and {@code transcribe}.
 */
package dev.voxgate.audio;
