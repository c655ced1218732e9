package io.oomresponder.evidence;

/**
 * How long one evidence gather took: {@code gatherMs} wall time, {@code calls} HTTP requests sent
 * (retries included) and {@code sumOfCallMs} the sum of their individual durations. With the calls
 * in parallel, {@code gatherMs} is about the critical path while {@code sumOfCallMs} is the cost a
 * serial collector would pay.
 */
public record GatherTimings(long gatherMs, int calls, long sumOfCallMs) {

    /** A gather that sent nothing (saved bundles). */
    public static GatherTimings none(long gatherMs) {
        return new GatherTimings(gatherMs, 0, 0);
    }
}
