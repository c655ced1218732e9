package io.oomresponder.pipeline;

/** Receives one line per pipeline stage (the demo and replay print them on stderr). */
@FunctionalInterface
public interface Progress {

    /** Ignores every line. */
    Progress SILENT = (stage, detail) -> { };

    void stage(String stage, String detail);
}
