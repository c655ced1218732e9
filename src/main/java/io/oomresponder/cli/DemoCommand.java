package io.oomresponder.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code demo}: Runs the whole pipeline against the built-in Azure simulator and prints the note. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Runs the whole pipeline against the built-in Azure simulator and prints the note.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("oom-responder demo: not available yet in this build.");
        return 2;
    }
}
