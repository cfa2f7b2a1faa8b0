/**
 * The Voxgate server: {@link dev.voxgate.server.VoxgateServer} builds the engines, sessions, file transcription
 * and job backend from the configuration and serves the routes of the sub-packages on Javalin and Jetty.
 *
 * <p>Sub-packages by role: {@code config} (settings), {@code engine} (which engine serves a request),
 * {@code error} (the error catalogue), {@code session} (streaming sessions, protocol-free), {@code transport}
 * (the native WebSocket protocol), {@code files} (whole-file transcription), {@code upload} (multipart
 * uploads), {@code openai} and {@code jobs} (HTTP routes over {@code files} and {@code voxgate-jobs}),
 * {@code ops}, {@code metrics}, {@code logging} and {@code web} (the browser client's files).
 */
package dev.voxgate.server;
