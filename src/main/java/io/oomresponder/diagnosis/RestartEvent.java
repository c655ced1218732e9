package io.oomresponder.diagnosis;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One restart of one replica, merged from every source that saw it.
 *
 * @param replica the replica
 * @param index the grid bucket of the restart
 * @param time the bucket's start (or the log time when only a log saw it)
 * @param kind what ended the container, as far as the evidence tells
 * @param sources the sources that saw this restart
 * @param exitCode the exit code from the system log, or null
 * @param memoryBeforeToLimit the highest working set in the minutes before the restart / the limit, NaN when unknown
 */
record RestartEvent(String replica, int index, Instant time, Kind kind, Set<Source> sources, Integer exitCode,
                    double memoryBeforeToLimit) {

    RestartEvent {
        Objects.requireNonNull(replica, "replica");
        Objects.requireNonNull(kind, "kind");
        sources = Set.copyOf(sources);
    }

    /** Whether memory ended this container (an OOM kill, in-process OOM, or a silent restart at the limit). */
    boolean memoryRelated() {
        return kind == Kind.OOM_KILLED || kind == Kind.MEMORY_AT_LIMIT;
    }

    /** What ended the container. */
    enum Kind {
        /** A log says OOMKilled / out of memory, or exit 137 with memory at the limit. */
        OOM_KILLED,
        /** No exit log, but the working set was at the limit just before. */
        MEMORY_AT_LIMIT,
        /** A log names another exit: exit 1, exit 137 with low memory (shutdown timeout), probe failure, back-off. */
        NON_OOM_EXIT,
        /** No exit log and memory not at the limit (or unknown). */
        UNEXPLAINED
    }

    /** Where a restart was seen. */
    enum Source { RESTART_COUNT_METRIC, SYSTEM_LOG, CONSOLE_LOG, WORKING_SET_DROP }
}
