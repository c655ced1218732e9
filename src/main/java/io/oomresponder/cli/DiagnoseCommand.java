package io.oomresponder.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code diagnose}: Diagnoses saved evidence bundles offline. */
@Command(name = "diagnose", mixinStandardHelpOptions = true, description = "Diagnoses saved evidence bundles offline.")
final class DiagnoseCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("oom-responder diagnose: not available yet in this build.");
        return 2;
    }
}
