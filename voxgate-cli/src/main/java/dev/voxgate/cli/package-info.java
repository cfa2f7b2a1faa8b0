/**
 * The {@code voxgate} command and the runnable jar: {@link dev.voxgate.cli.VoxgateCli} (picocli) with
 * {@code serve}, {@code transcribe} (offline, in-process, through the server's file transcription),
 * {@code stream} (a native-protocol client), {@code health} and {@code prepare}. A problem the user can fix is a
 * {@code UserException}, printed without a stack trace.
 */
package dev.voxgate.cli;
