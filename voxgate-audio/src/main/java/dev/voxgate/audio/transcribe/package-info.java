/**
 * Whole recordings through one streaming engine session: {@link dev.voxgate.audio.transcribe.DecodingTranscriber}
 * feeds a file to the engine while it decodes, {@link dev.voxgate.audio.transcribe.OfflineTranscriber} audio held
 * in memory. The result is a {@link dev.voxgate.audio.transcribe.Transcript}, which
 * {@link dev.voxgate.audio.transcribe.SubtitleFormatter} renders as text, SRT or WebVTT.
 */
package dev.voxgate.audio.transcribe;
