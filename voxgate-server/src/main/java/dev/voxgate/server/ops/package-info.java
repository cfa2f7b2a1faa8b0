/**
 * Routes for operators: {@link dev.voxgate.server.ops.OpsRoutes} serves {@code /health}, {@code /ready},
 * {@code /metrics}, {@code /api/build_info} and {@code /api/modules_info}; {@link dev.voxgate.server.ops.BuildInfo}
 * is the version, commit and build time the Maven build recorded.
 */
package dev.voxgate.server.ops;
