/**
 * The benchmark tool {@code voxgate-bench} ({@link dev.voxgate.bench.BenchCli}) and the server as it runs under
 * load ({@link dev.voxgate.bench.BenchServer}). Sub-packages: {@code load} (the load generator), {@code raw} (the
 * raw-engine ceiling), {@code batch} (the job scenario), {@code suite} (scenarios A–F and docs/benchmarks.md) and
 * {@code jmh} (micro-benchmarks).
 */
package dev.voxgate.bench;
