/**
 * The full benchmark: {@link dev.voxgate.bench.suite.BenchmarkSuite} runs scenarios A–F against a server in its own
 * JVM ({@link dev.voxgate.bench.suite.ServerProcess}) and collects a {@link dev.voxgate.bench.suite.SuiteResult},
 * which {@link dev.voxgate.bench.suite.MarkdownReport} and {@link dev.voxgate.bench.suite.CapacityChart} turn into
 * docs/benchmarks.md and its charts.
 */
package dev.voxgate.bench.suite;
