package io.oomresponder.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code simulate}: Writes simulated evidence bundles from the scenario model. */
@Command(name = "simulate", mixinStandardHelpOptions = true, description = "Writes simulated evidence bundles from the scenario model.")
final class SimulateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("oom-responder simulate: not available yet in this build.");
        return 2;
    }
}
