/**
 * Routes for operators: {@link dev.voxgate.server.ops.OpsRoutes} serves {@code /health}, {@code /ready},
 * {@code /metrics}, {@code /api/build_info} and {@code /api/modules_info}; {@link dev.voxgate.server.ops.BuildInfo}
 * is the version, commit and build time the Maven build recorded; {@link dev.voxgate.server.ops.SystemdNotifier}
 * tells systemd ({@code NOTIFY_SOCKET}) when the server is ready, feeds its watchdog while it stays so, and says
 * when it stops.
 */
package dev.voxgate.server.ops;
