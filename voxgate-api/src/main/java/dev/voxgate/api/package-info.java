/**
 * The engine SPI and the transcript domain shared by every Voxgate module.
 *
 * <p>This package has no dependency on any server, protocol or engine library: engines implement
 * {@link dev.voxgate.api.SpeechEngineProvider} and are discovered with {@link java.util.ServiceLoader};
 * the server and the CLI drive them only through {@link dev.voxgate.api.StreamingEngine} and
 * {@link dev.voxgate.api.RecognitionSession}.
 */
package dev.voxgate.api;
