/**
 * The audio-file decoder on FFmpeg's own libraries through JavaCPP, found by {@link java.util.ServiceLoader}:
 * {@link dev.voxgate.audio.ffmpeg.FfmpegAudioDecoder} opens a file ({@code FfmpegInput}), recognises it by content,
 * decodes its audio stream and resamples it to mono 16-bit PCM. {@code FfmpegNatives} loads the native libraries
 * once per JVM into Voxgate's cache folder; users see FFmpeg's failures in words ({@code FfmpegFailures}).
 */
package dev.voxgate.audio.ffmpeg;
