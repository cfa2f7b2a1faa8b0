package dev.voxgate.jobs;

/** A setting of {@link JobsConfig} has a bad value; the message names the variable and what it accepts. */
public final class JobsConfigException extends IllegalArgumentException {
    public JobsConfigException(String message) {
        super(message);
    }
}
