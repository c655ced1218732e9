package io.oomresponder.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code oom-responder} command line: one executable jar for the demo, offline diagnosis,
 * replay, a local server and the simulator.
 */
@Command(name = "oom-responder",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Diagnoses Azure Container Apps out-of-memory alerts and posts an incident note.",
        subcommands = {
                BenchCommand.class,
                DemoCommand.class,
                DiagnoseCommand.class,
                ReplayCommand.class,
                ServeCommand.class,
                SimulateCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (0 ok, 1 failure, 2 usage error). */
    public static int run(String... args) {
        // serve is a long-running service: its log is its output. Other commands print progress themselves.
        if (args.length > 0 && "serve".equals(args[0]) && System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            System.setProperty(LOG_LEVEL_PROPERTY, "info");
        }
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler(Main::shortUsageError);
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** A wrong option prints one line and the usage hint, not the whole help. */
    private static int shortUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println(cmd.getColorScheme().errorText(e.getMessage()));
        cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        return 2;
    }
}
