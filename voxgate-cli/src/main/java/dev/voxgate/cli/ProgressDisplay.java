package dev.voxgate.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * A progress bar on standard error while a file is transcribed, shown only when standard error is
 * a terminal, so that pipes, redirections and logs get nothing but the transcript (on standard output). Updated from
 * the transcribing thread; the bar redraws itself from progressbar's own daemon thread.
 */
final class ProgressDisplay implements AutoCloseable {
    private final ProgressBar bar;
    private final long max;
    private boolean closed;

    private ProgressDisplay(ProgressBar bar, long max) {
        this.bar = bar;
        this.max = max;
    }

    /** Nothing is shown. */
    static ProgressDisplay off() {
        return new ProgressDisplay(null, 1);
    }

    /**
     * A bar counting seconds of audio when the duration is known, else percent; {@link #off()}
     * when standard error is not a terminal.
     */
    static ProgressDisplay of(OptionalDouble seconds) {
        if (!onTerminal()) return off();
        boolean known = seconds.isPresent() && seconds.getAsDouble() >= 1;
        long max = known ? (long) Math.ceil(seconds.getAsDouble()) : 100;
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName("transcribing")
                .setInitialMax(max)
                .setUnit(known ? " s" : "%", 1)
                .setStyle(ProgressBarStyle.UNICODE_BLOCK)
                .setUpdateIntervalMillis(200)
                .setMaxRenderedLength(100)
                .clearDisplayOnFinish()
                .build();
        return new ProgressDisplay(bar, max);
    }

    /** @param fraction of the audio transcribed, in [0, 1] */
    void update(double fraction) {
        if (bar != null && !closed) bar.stepTo(Math.round(Math.max(0, Math.min(1, fraction)) * max));
    }

    /** Removes the bar from the terminal; idempotent. */
    @Override
    public void close() {
        if (bar != null && !closed) bar.close();
        closed = true;
    }

    /**
     * Whether standard error is a terminal. On Linux this is read from {@code /proc/self/fd/2},
     * so {@code > transcript.txt} still shows the bar and {@code 2> log} does not. Elsewhere it
     * falls back to {@code System.console()}, which tells whether standard input and output are a
     * terminal: null when redirected on JDK 21 and 25, while on JDK 22 to 24 it is a console
     * object even then and {@code Console.isTerminal()} (JDK 22+, called reflectively as the
     * code targets 21) tells.
     */
    static boolean onTerminal() {
        Path stderr = Path.of("/proc/self/fd/2");
        if (Files.isSymbolicLink(stderr)) {
            try {
                String target = Files.readSymbolicLink(stderr).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                // fall back to the console
            }
        }
        Console console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only on a terminal
        }
    }
}
