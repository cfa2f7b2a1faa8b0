/**
 * What every remote engine module shares: a {@link dev.voxgate.engine.remote.RemoteProbe} that tells whether the remote
 * answers (so a remote down at start-up shows as down and is used once it answers), and settings parsing.
 */
package dev.voxgate.engine.remote;
