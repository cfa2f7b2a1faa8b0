/**
 * The raw-engine ceiling: {@link dev.voxgate.bench.raw.RawCeiling} decodes the same clips in-process, with no
 * server and no network, so the server's figures can be compared with what the engine alone does on this machine.
 */
package dev.voxgate.bench.raw;
