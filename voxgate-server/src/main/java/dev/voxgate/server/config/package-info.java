/**
 * Configuration, read once at start-up: {@link dev.voxgate.server.config.Settings} merges a properties file,
 * the environment and flags, and builds the immutable records the server is given
 * ({@link dev.voxgate.server.config.ServerConfig}, {@link dev.voxgate.server.config.UploadConfig}). A bad value
 * is a {@link dev.voxgate.server.config.ConfigException} that names the variable.
 */
package dev.voxgate.server.config;
