/**
 * What tests and benchmarks need to drive engines: {@link dev.voxgate.testkit.FakeEngine} (deterministic, no
 * model), {@link dev.voxgate.testkit.RecordingListener}, real speech with references
 * ({@link dev.voxgate.testkit.SpeechCorpus}), {@link dev.voxgate.testkit.WordErrorRate} with
 * {@link dev.voxgate.testkit.EnglishTextNormalizer}, and {@link dev.voxgate.testkit.SpeechEngineContract}, the
 * SPI contract test every engine module extends.
 */
package dev.voxgate.testkit;
