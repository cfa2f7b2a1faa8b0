/**
 * Scenario F: {@link dev.voxgate.bench.batch.BatchJobs} submits WAV files at once to a server's job API and polls
 * them until every job has finished, measuring the throughput of the durable queue.
 */
package dev.voxgate.bench.batch;
