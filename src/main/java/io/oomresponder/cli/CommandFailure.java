package io.oomresponder.cli;

/**
 * A command that cannot go on, with the one line the user sees and the exit code: 2 when the
 * invocation is wrong (an option, a file it names, a setting's value), 1 when the world failed
 * (Azure unreachable, a file that cannot be written, a busy port, a note not delivered).
 * {@link Main} prints {@code oom-responder <command>: <message>} on stderr; nothing else.
 */
final class CommandFailure extends RuntimeException {

    static final int RUNTIME = 1;
    static final int USAGE = 2;

    private final int exitCode;

    private CommandFailure(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    static CommandFailure usage(String message) {
        return new CommandFailure(message, USAGE, null);
    }

    static CommandFailure runtime(String message) {
        return new CommandFailure(message, RUNTIME, null);
    }

    static CommandFailure runtime(String message, Throwable cause) {
        return new CommandFailure(message, RUNTIME, cause);
    }

    int exitCode() {
        return exitCode;
    }
}
