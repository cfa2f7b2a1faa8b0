package dev.voxgate.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/** Configures Logback from {@code LOG_LEVEL} and {@code LOG_FORMAT} (text or JSON lines) at start-up. */
public final class LoggingSetup {
    private LoggingSetup() {
    }

    /** Server logging: to standard output, as a 12-factor service should. */
    public static void configure(String level, String format) {
        configure(level, format, false);
    }

    /** @param toStderr for command-line tools whose standard output is their result */
    public static void configure(String level, String format, boolean toStderr) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) return;
        ctx.reset();
        Encoder<ILoggingEvent> encoder;
        if ("json".equals(format)) {
            // One JSON object per line: @timestamp, level, logger_name, message, and each key-value pair as a field.
            encoder = new LogstashEncoder();
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{24} - %msg %kvp%n");
            encoder = text;
        }
        encoder.setContext(ctx);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setName("console");
        if (toStderr) console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.INFO));
        root.addAppender(console);
        // Jetty and Javalin are chatty below WARN unless the operator asks for debug.
        Level libraries = Level.toLevel(level, Level.INFO).isGreaterOrEqual(Level.INFO) ? Level.WARN
                : Level.toLevel(level);
        ctx.getLogger("org.eclipse.jetty").setLevel(libraries);
        ctx.getLogger("io.javalin").setLevel(libraries);
    }
}
