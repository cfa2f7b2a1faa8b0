/**
 * Which engine serves a request. {@link dev.voxgate.server.engine.EngineRegistry} loads the installed engines in
 * the background and says where each stands ({@link dev.voxgate.server.engine.EngineStatus});
 * {@link dev.voxgate.server.engine.EngineSelector} is the one place that turns a requested engine and language
 * into an {@link dev.voxgate.server.engine.EngineSelection}, so every surface refuses with the same code.
 */
package dev.voxgate.server.engine;
