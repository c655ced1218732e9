package io.oomresponder.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code replay}: Replays a past alert: gathers the evidence of its own window and prints the note. */
@Command(name = "replay", mixinStandardHelpOptions = true, description = "Replays a past alert: gathers the evidence of its own window and prints the note.")
final class ReplayCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("oom-responder replay: not available yet in this build.");
        return 2;
    }
}
