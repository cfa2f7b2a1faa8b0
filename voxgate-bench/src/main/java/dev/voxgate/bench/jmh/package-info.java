/**
 * JMH micro-benchmarks of the work the server does per audio frame outside the engine
 * ({@link dev.voxgate.bench.jmh.AudioPathBenchmark}): framing, PCM conversion, resampling and encoding a final.
 */
package dev.voxgate.bench.jmh;
