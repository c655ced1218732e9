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
                ParametersCommand.class,
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
        // bench record hands everything after the bench's name to that bench, its options included.
        cli.getSubcommands().get("bench").getSubcommands().get("record").setStopAtPositional(true);
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
    static int oneLineFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        System.out.flush();
        cmd.getErr().println("oom-responder " + cmd.getCommandName() + ": " + FailureLine.describe(e));
        cmd.getErr().flush();
        return FailureLine.exitCode(e);
    }

    /**
     * A wrong option is one line in the README's form, {@code oom-responder <command>: <what>}, with
     * picocli's "did you mean" for a mistyped option or command, and where the help is; not the
     * whole help.
     */
    private static int shortUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println(usageLine(e));
        cmd.getErr().flush();
        return 2;
    }

    /** "oom-responder demo: unknown option '--scenaro'; did you mean --scenario? (oom-responder demo --help lists the options)". */
    static String usageLine(CommandLine.ParameterException e) {
        String command = e.getCommandLine().getCommandSpec().qualifiedName();
        String what;
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            boolean hasSubcommands = !e.getCommandLine().getSubcommands().isEmpty();
            what = (u.isUnknownOption() ? "unknown option '" : hasSubcommands ? "unknown command '" : "unexpected argument '") + first + "'";
            java.util.List<String> suggestions = u.getSuggestions();
            if (!suggestions.isEmpty()) {
                what += "; did you mean " + String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size()))) + "?";
            }
        } else {
            String message = e.getMessage() == null ? "invalid arguments" : e.getMessage().strip();
            what = Character.toLowerCase(message.charAt(0)) + message.substring(1);
        }
        return command + ": " + what + " (" + command + " --help lists " + (e.getCommandLine().getSubcommands().isEmpty() ? "the options)" : "the commands)");
    }
}
