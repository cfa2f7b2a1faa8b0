package dev.voxgate.cli;

import dev.voxgate.server.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code voxgate} command. */
@Command(name = "voxgate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Self-hosted real-time speech-to-text.",
        subcommands = {ServeCommand.class, TranscribeCommand.class, StreamCommand.class, HealthCommand.class,
                PrepareCommand.class, KeysCommand.class})
public final class VoxgateCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new VoxgateCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException || e instanceof UserException) {
                cmd.getErr().println("voxgate: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
