/**
 * The OpenAI-compatible API, so OpenAI's SDKs can point their base URL at Voxgate:
 * {@link dev.voxgate.server.openai.OpenAiRoutes} ({@code POST /v1/audio/transcriptions}, {@code GET /v1/models})
 * over {@code files}, with OpenAI's request fields, response shapes ({@code OpenAiTranscripts}) and error shape.
 */
package dev.voxgate.server.openai;
