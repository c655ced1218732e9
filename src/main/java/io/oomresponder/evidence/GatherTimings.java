package io.oomresponder.evidence;

import java.util.List;

/**
 * How long one evidence gather took: {@code gatherMs} wall time, {@code calls} HTTP requests sent
 * (retries included) and {@code sumOfCallMs} the sum of their individual durations. With the calls
 * in parallel, {@code gatherMs} is about the critical path while {@code sumOfCallMs} is the cost a
 * serial collector would pay. {@code dependentRoundTrips} is the longest chain of calls that each
 * started only after the one before it had ended; {@code criticalPath} is the chain that ends with
 * the last call, each with its start and end in the gather, e.g.
 * {@code ["container app 0-302 ms", "logs 305-615 ms"]}.
 */
public record GatherTimings(long gatherMs, int calls, long sumOfCallMs, int dependentRoundTrips, List<String> criticalPath) {

    public GatherTimings {
        criticalPath = criticalPath == null ? List.of() : List.copyOf(criticalPath);
    }

    public GatherTimings(long gatherMs, int calls, long sumOfCallMs) {
        this(gatherMs, calls, sumOfCallMs, 0, List.of());
    }

    /** A gather that sent nothing (saved bundles). */
    public static GatherTimings none(long gatherMs) {
        return new GatherTimings(gatherMs, 0, 0);
    }
}
