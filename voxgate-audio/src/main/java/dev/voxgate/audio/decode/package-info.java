/**
 * The audio-file decoder SPI: an {@link dev.voxgate.audio.decode.AudioFileDecoder} (found with
 * {@link java.util.ServiceLoader}; FFmpeg's is in {@code voxgate-audio-ffmpeg}) probes a file by its content
 * ({@link dev.voxgate.audio.decode.AudioProbe}) and decodes it into a {@link dev.voxgate.audio.decode.PcmSink}.
 * Each way a file can fail is a subtype of {@link dev.voxgate.audio.decode.AudioDecodeException} with a stable code.
 */
package dev.voxgate.audio.decode;
