package io.oomresponder.cli;

import io.oomresponder.bench.BenchCommand;
import picocli.CommandLine;

import java.util.Map;
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
        // One-shot commands say what failed in one line; the Azure SDK's own ERROR lines (stack-like,
        // exception class names) would bury it. serve keeps them: its log is its output.
        // A one-shot command keeps no store either: the parking log's "redelivery from ..." would promise
        // what never happens; the command says itself that the note was not delivered.
        if (args.length > 0 && !"serve".equals(args[0])) {
            Map<String, String> quiet = Map.of("com.azure", "off", "com.microsoft.aad", "off", "reactor", "off", "io.netty", "off",
                    "io.oomresponder.store.Redelivery", "error");
            quiet.forEach((logger, level) -> {
                String property = "org.slf4j.simpleLogger.log." + logger;
                if (System.getProperty(property) == null) {
                    System.setProperty(property, level);
                }
            });
        }
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler(Main::shortUsageError);
        cli.setExecutionExceptionHandler(Main::oneLineFailure);
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * Whatever escapes a command is one line on stderr ("oom-responder replay: no such file or
     * folder: missing.json"), never a stack trace; what the command already printed stays.
     */
    private static int oneLineFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        System.out.flush();
        cmd.getErr().println("oom-responder " + cmd.getCommandName() + ": " + FailureLine.describe(e));
        cmd.getErr().flush();
        return FailureLine.exitCode(e);
    }

    /** A wrong option prints one line and the usage hint, not the whole help. */
    private static int shortUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println(cmd.getColorScheme().errorText(e.getMessage()));
        cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        return 2;
    }
}
