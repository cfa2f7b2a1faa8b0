/**
 * Whole recordings through one streaming engine session: {@link dev.voxgate.audio.transcribe.DecodingTranscriber}
 * feeds a file to the engine while it decodes, {@link dev.voxgate.audio.transcribe.OfflineTranscriber} audio held
 * in memory. The result is a {@link dev.voxgate.audio.transcribe.Transcript}, which
 * {@link dev.voxgate.audio.transcribe.SubtitleFormatter} renders as text, SRT or WebVTT, in cues cut by
 * {@link dev.voxgate.audio.transcribe.CueRules}. {@link dev.voxgate.audio.transcribe.WordTimedEngine} gives a file
 * engine without word times (Whisper) the times of a second engine's words (Vosk's), matched by
 * {@link dev.voxgate.audio.transcribe.WordAligner}, which the two-pass engine uses too.
 */
package dev.voxgate.audio.transcribe;
