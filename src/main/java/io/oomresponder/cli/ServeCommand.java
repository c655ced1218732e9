package io.oomresponder.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code serve}: Serves the Function app's routes on a local HTTP server. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serves the Function app's routes on a local HTTP server.")
final class ServeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("oom-responder serve: not available yet in this build.");
        return 2;
    }
}
