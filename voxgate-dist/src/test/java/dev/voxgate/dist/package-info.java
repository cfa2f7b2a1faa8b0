/**
 * Tests of what a user installs: {@link dev.voxgate.dist.DistributionIT} runs the self-contained archive on a
 * machine whose only {@code java} is too old, and {@link dev.voxgate.dist.ContainerImageIT} builds and runs the
 * repository's Dockerfile with podman on a minimal Debian root. {@code Command} and {@code Podman} run the tools.
 */
package dev.voxgate.dist;
