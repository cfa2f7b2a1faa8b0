/**
 * The guard in front of every route: who is calling ({@link dev.voxgate.server.guard.Caller}, from an API key
 * or the client's address), whether they may (origin, IP allow-list, rate limits), and the audit line
 * that records it. Routes only read the {@code Caller}; they never see keys.
 */
package dev.voxgate.server.guard;
