package dev.voxgate.server.config;

/** A configuration value is wrong; the message names the variable, the value and what is expected. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
