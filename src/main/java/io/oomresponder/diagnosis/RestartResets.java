package io.oomresponder.diagnosis;

import java.util.Arrays;
import java.util.List;

/**
 * Signal: what memory does right after each memory kill while traffic stays where it was. Inside
 * one segment, traffic that rises with time cannot be told apart from time; a restart can. After a
 * kill, demand refills memory to the traffic's level within minutes; a leak starts again from its
 * baseline and needs as long as before to climb. So for each memory kill whose replica's traffic in
 * the {@link GrowthPattern#MIN_GROWTH_SPAN_MINUTES} after the restart is at least
 * (1 − {@link GrowthPattern#MIN_TRAFFIC_RISE}) of its level in the same span before the kill:
 * <ul>
 * <li>a <em>held reset</em> when memory over that span stays at least
 * {@link GrowthPattern#MIN_RESET_DROP_TO_LIMIT} of the limit below its level at the kill and the
 * segment then grows again (Mann–Kendall Z ≥ {@link GrowthPattern#Z_RISING}, steadily, rising at
 * least {@link GrowthPattern#MIN_RISE_TO_LIMIT_OPEN} of the limit);</li>
 * <li>a <em>refill</em> when memory is back within that drop of its level at the kill.</li>
 * </ul>
 * Kills after which traffic fell, or whose next segment is too short to watch, decide nothing.
 *
 * @param heldResets restarts after which memory stayed at its baseline under unchanged traffic and grew again
 * @param refills    restarts after which memory refilled to its level at the kill under unchanged traffic
 * @param medianZ    median Mann–Kendall Z of the segments that grew again after a held reset (NaN when none)
 */
record RestartResets(int heldResets, int refills, double medianZ) {

    static final RestartResets NONE = new RestartResets(0, 0, Double.NaN);

    /** Measures every replica's memory kills; {@code segments} in the order of {@code app.replicas()} with samples. */
    static RestartResets of(AppTimelines app, List<List<MemorySegment>> segments, double limitBytes, DiagnosisThresholds th) {
        int span = Math.max(1, app.grid().buckets(GrowthPattern.MIN_GROWTH_SPAN_MINUTES));
        int held = 0;
        int refills = 0;
        double[] zs = new double[16];
        int nz = 0;
        int k = 0;
        for (ReplicaTimeline r : app.replicas()) {
            if (r.workingSetSamples() == 0) {
                continue;
            }
            List<MemorySegment> segs = segments.get(k++);
            double[] q = r.requests();
            if (q == null) {
                continue;
            }
            double[] ws = r.workingSetBytes();
            for (int i = 1; i < segs.size(); i++) {
                MemorySegment prev = segs.get(i - 1);
                MemorySegment next = segs.get(i);
                if (!prev.endsInRestart() || !prev.end().memoryRelated() || next.to() - next.from() < span
                        || Double.isNaN(prev.endLevelToLimit())) {
                    continue;
                }
                double before = median(q, Math.max(prev.from(), prev.to() - span), prev.to());
                double after = median(q, next.from(), next.from() + span);
                double memoryAfter = median(ws, next.from(), next.from() + span) / limitBytes;
                if (Double.isNaN(before) || Double.isNaN(after) || Double.isNaN(memoryAfter)
                        || before <= 0 || after < (1 - th.minTrafficRise()) * before) {
                    continue;
                }
                if (prev.endLevelToLimit() - memoryAfter < GrowthPattern.MIN_RESET_DROP_TO_LIMIT) {
                    refills++;
                } else if (growsAgain(next, th)) {
                    held++;
                    if (nz == zs.length) {
                        zs = Arrays.copyOf(zs, nz * 2);
                    }
                    zs[nz++] = next.trend().mannKendallZ();
                }
            }
        }
        return new RestartResets(held, refills, TrafficRelation.median(zs, nz));
    }

    /** After a held reset the replica climbs again, steadily, by a real share of the limit. */
    private static boolean growsAgain(MemorySegment s, DiagnosisThresholds th) {
        RobustTrend t = s.trend();
        return t.known() && t.mannKendallZ() >= GrowthPattern.Z_RISING && t.slopePerMinute() > 0
                && t.points() >= GrowthPattern.MIN_GROWTH_POINTS && t.spanMinutes() >= GrowthPattern.MIN_GROWTH_SPAN_MINUTES
                && s.riseToLimit() >= th.minRiseToLimitOpen() && GrowthPattern.steady(s);
    }

    /** Median of the samples in [from, to), NaN when none. */
    private static double median(double[] v, int from, int to) {
        double[] c = new double[Math.max(0, Math.min(v.length, to) - from)];
        int n = 0;
        for (int i = Math.max(0, from); i < Math.min(v.length, to); i++) {
            if (v[i] == v[i]) {
                c[n++] = v[i];
            }
        }
        return TrafficRelation.median(c, n);
    }
}
