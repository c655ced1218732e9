package io.oomresponder.diagnosis;

import java.util.List;

/**
 * Signal: how the working set grows between restarts, and whether it resets after a restart and
 * then grows again. A segment <em>grows toward the limit</em> when its Mann–Kendall trend is
 * significant (Z ≥ {@link #Z_RISING}), its Theil–Sen rise is a real share of the limit, and it
 * ends near the limit (or in a memory kill). Growth is <em>driven by traffic</em> when requests
 * rise significantly in the same segment and memory no longer correlates with time once traffic
 * is held fixed (partial rank correlation below {@link #MIN_PARTIAL_TIME_RHO}); otherwise it is
 * growth with time, the mark of a leak. A <em>regrowth</em> is a restart after which memory starts
 * well below where it was killed and grows with time again.
 *
 * @param segmentsMeasured segments with a known trend
 * @param growing segments that grew toward the limit
 * @param leakLike growing segments, climbing steadily from their start, not driven by traffic
 * @param trafficDriven growing segments driven by traffic
 * @param regrowths restarts followed by a reset and renewed growth with time
 * @param medianZ median Mann–Kendall Z of the leak-like segments (NaN when none)
 * @param medianTau median Kendall tau of the leak-like segments (NaN when none)
 * @param medianPartial median partial correlation of memory with time given traffic, over growing segments (NaN when unknown)
 * @param growthBytesPerHour median Theil–Sen slope of the leak-like segments (else of the growing ones), NaN when none
 */
record GrowthPattern(int segmentsMeasured, int growing, int leakLike, int trafficDriven, int regrowths,
                     double medianZ, double medianTau, double medianPartial, double growthBytesPerHour) {

    /** Mann–Kendall Z for a rising trend at one-sided p &lt; 0.01. */
    static final double Z_RISING = 2.326;
    /**
     * A leak is slow: growth from a reset to the limit within minutes is memory refilling under
     * load. Growth must be seen over at least this long to count.
     */
    static final double MIN_GROWTH_SPAN_MINUTES = 20;
    /** Fewer samples than this cannot reach Mann–Kendall significance robustly. */
    static final int MIN_GROWTH_POINTS = 8;
    /** A closed segment must climb at least this share of the limit along its trend. */
    static final double MIN_RISE_TO_LIMIT = 0.20;
    /** The open (last) segment may still be young: a smaller climb suffices for renewed growth. */
    static final double MIN_RISE_TO_LIMIT_OPEN = 0.10;
    /**
     * A growing segment ends at least this close to the limit (or in a memory kill). Not
     * {@link Diagnoser#PEAK_NEAR_LIMIT_FRACTION}, which judges the app's peak.
     */
    static final double SEGMENT_END_NEAR_LIMIT_FRACTION = 0.80;
    /** Memory still correlating with time this strongly after holding traffic fixed is growth with time. */
    static final double MIN_PARTIAL_TIME_RHO = 0.5;
    /** Share of a segment's rise that steady growth has reached halfway through (linear growth: 0.5). */
    static final double MIN_HALFWAY_RISE_SHARE = 0.2;
    /** t statistic of the partial correlation with traffic for one-sided p &lt; 0.01 (normal approximation). */
    static final double T_FOLLOWS_TRAFFIC = 2.326;
    /** Traffic must rise by at least this share of its level to explain growth. */
    static final double MIN_TRAFFIC_RISE = 0.10;
    /** After a restart, memory must start this share of the limit below its level at the kill to be a reset. */
    static final double MIN_RESET_DROP_TO_LIMIT = 0.25;

    /** Measures the pattern over all replicas' segments. */
    static GrowthPattern of(List<List<MemorySegment>> segmentsPerReplica, DiagnosisThresholds t) {
        int measured = 0;
        int growing = 0;
        int leak = 0;
        int traffic = 0;
        int regrowths = 0;
        double[] zs = new double[16];
        double[] taus = new double[16];
        double[] partials = new double[16];
        double[] slopes = new double[16];
        double[] growSlopes = new double[16];
        int nz = 0;
        int np = 0;
        int ng = 0;
        for (List<MemorySegment> segs : segmentsPerReplica) {
            MemorySegment prev = null;
            for (MemorySegment s : segs) {
                if (s.trend().known()) {
                    measured++;
                }
                boolean grows = grows(s, t);
                if (grows) {
                    growing++;
                    if (ng == growSlopes.length) {
                        growSlopes = java.util.Arrays.copyOf(growSlopes, ng * 2);
                    }
                    growSlopes[ng++] = s.trend().slopePerMinute() * 60;
                    if (!Double.isNaN(s.partialTimeGivenTraffic())) {
                        if (np == partials.length) {
                            partials = java.util.Arrays.copyOf(partials, np * 2);
                        }
                        partials[np++] = s.partialTimeGivenTraffic();
                    }
                    if (trafficDriven(s, t)) {
                        traffic++;
                    } else if (steady(s)) {
                        leak++;
                        if (nz == zs.length) {
                            zs = java.util.Arrays.copyOf(zs, nz * 2);
                            taus = java.util.Arrays.copyOf(taus, nz * 2);
                            slopes = java.util.Arrays.copyOf(slopes, nz * 2);
                        }
                        zs[nz] = s.trend().mannKendallZ();
                        taus[nz] = s.trend().kendallTau();
                        slopes[nz] = s.trend().slopePerMinute() * 60;
                        nz++;
                    }
                }
                if (prev != null && s.startsAfterRestart() && isReset(prev, s) && steady(s)
                        && (grows ? !trafficDriven(s, t) : regrowsOpen(s, t))) {
                    regrowths++;
                }
                prev = s;
            }
        }
        double growth = nz > 0 ? TrafficRelation.median(slopes, nz) : TrafficRelation.median(growSlopes, ng);
        return new GrowthPattern(measured, growing, leak, traffic, regrowths, TrafficRelation.median(zs, nz),
                TrafficRelation.median(taus, nz), TrafficRelation.median(partials, np), growth);
    }

    /** Whether a segment grows toward the limit. */
    static boolean grows(MemorySegment s, DiagnosisThresholds th) {
        RobustTrend t = s.trend();
        if (!t.known() || t.mannKendallZ() < Z_RISING || t.slopePerMinute() <= 0
                || t.points() < MIN_GROWTH_POINTS || t.spanMinutes() < MIN_GROWTH_SPAN_MINUTES) {
            return false;
        }
        boolean open = !s.endsInRestart();
        if (s.riseToLimit() < (open ? th.minRiseToLimitOpen() : th.minRiseToLimit())) {
            return false;
        }
        boolean killed = s.endsInRestart() && s.end().memoryRelated();
        return killed || s.endLevelToLimit() >= th.segmentEndNearLimit() || (open && s.riseToLimit() >= th.minRiseToLimit());
    }

    /**
     * Whether a growing segment's growth is explained by traffic: memory follows traffic's ups and
     * downs beyond the trend (partial rank correlation with requests, time held fixed, significantly
     * positive: t = r·√((n−3)/(1−r²)) ≥ {@link #T_FOLLOWS_TRAFFIC}), or traffic itself rises and
     * memory no longer correlates with time once traffic is held fixed.
     */
    static boolean trafficDriven(MemorySegment s, DiagnosisThresholds t) {
        if (followsTraffic(s)) {
            return true;
        }
        RobustTrend q = s.trafficTrend();
        if (!q.known() || Double.isNaN(s.partialTimeGivenTraffic())) {
            return false;
        }
        double level = Math.abs(q.slopePerMinute() * q.spanMinutes());
        boolean trafficRises = q.mannKendallZ() >= Z_RISING && q.slopePerMinute() > 0
                && level >= t.minTrafficRise() * s.trafficMedian();
        return trafficRises && s.partialTimeGivenTraffic() < t.minPartialTimeRho();
    }

    /** Memory tracks traffic beyond the common trend, at one-sided p &lt; 0.01. */
    static boolean followsTraffic(MemorySegment s) {
        double r = s.partialTrafficGivenTime();
        int n = s.pairedPoints();
        if (Double.isNaN(r) || n < MIN_GROWTH_POINTS || r <= 0) {
            return false;
        }
        double t = r * Math.sqrt((n - 3) / Math.max(1e-9, 1 - r * r));
        return t >= T_FOLLOWS_TRAFFIC;
    }

    /**
     * A leak climbs from the reset on: by halfway through the segment a real share of the rise is
     * done. A flat stretch followed by a late ramp (a job starting) is not steady growth.
     */
    static boolean steady(MemorySegment s) {
        return Double.isNaN(s.halfwayRiseShare()) || s.halfwayRiseShare() >= MIN_HALFWAY_RISE_SHARE;
    }

    private static boolean isReset(MemorySegment prev, MemorySegment s) {
        return !Double.isNaN(prev.endLevelToLimit()) && !Double.isNaN(s.startLevelToLimit())
                && prev.endLevelToLimit() - s.startLevelToLimit() >= MIN_RESET_DROP_TO_LIMIT;
    }

    /** A young open segment that is already growing with time again. */
    private static boolean regrowsOpen(MemorySegment s, DiagnosisThresholds th) {
        RobustTrend t = s.trend();
        return !s.endsInRestart() && t.known() && t.mannKendallZ() >= Z_RISING && t.slopePerMinute() > 0
                && t.points() >= MIN_GROWTH_POINTS && t.spanMinutes() >= MIN_GROWTH_SPAN_MINUTES
                && s.riseToLimit() >= th.minRiseToLimitOpen() && !trafficDriven(s, th);
    }
}
