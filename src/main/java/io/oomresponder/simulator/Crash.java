package io.oomresponder.simulator;

import java.util.List;

/**
 * A container exit that is not the kernel's OOM killer: what the platform and the container wrote
 * around it. Offsets are seconds from the start of the minute the crash happens in.
 *
 * @param second      second of the minute the container exited
 * @param systemLines system log events (reason, type, message), including the ContainerTerminated one
 * @param console     console lines written before the exit
 * @param downMinutes minutes the container stays down before it starts again (back-off)
 */
record Crash(int second, List<SystemLine> systemLines, List<ConsoleEntry> console, int downMinutes) {

    Crash {
        systemLines = List.copyOf(systemLines);
        console = List.copyOf(console);
    }

    /** A system log event relative to the crash second. */
    record SystemLine(int offsetSeconds, String reason, String type, String message) {
    }

    /** A console line relative to the crash second. */
    record ConsoleEntry(int offsetSeconds, String stream, String message) {
    }

    static SystemLine terminated(int offsetSeconds, int exitCode, String reason) {
        return new SystemLine(offsetSeconds, "ContainerTerminated", "Warning",
                "Container 'app' was terminated with exit code '" + exitCode + "' and reason '" + reason + "'");
    }
}
