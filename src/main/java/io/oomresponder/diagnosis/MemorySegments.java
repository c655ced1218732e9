package io.oomresponder.diagnosis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Signal: splits each replica's working set at its restarts and measures every segment: the robust
 * trend against time, the level at its start and end, and (when Requests exist) whether traffic
 * explains the growth: the partial rank correlation of memory with time, traffic held fixed.
 */
final class MemorySegments {

    /** Points (bucket means) the rank correlations use per segment. */
    static final int CORRELATION_POINTS = 60;
    /** Samples averaged for the level at a segment's start, and maxed for its end. */
    static final int EDGE_SAMPLES = 3;

    private MemorySegments() {
    }

    /** The segments of one replica, in time order. {@code limitBytes} must be positive. */
    static List<MemorySegment> of(ReplicaTimeline r, List<RestartEvent> events, EvidenceGrid grid, double limitBytes) {
        List<MemorySegment> out = new ArrayList<>();
        int start = 0;
        boolean afterRestart = false;
        for (RestartEvent e : events) {
            int end = Math.min(grid.size(), e.index() + 1);
            if (end > start) {
                out.add(measure(r, start, end, afterRestart, e, grid, limitBytes));
            }
            start = Math.max(start, e.index() + 1);
            afterRestart = true;
        }
        if (start < grid.size()) {
            out.add(measure(r, start, grid.size(), afterRestart, null, grid, limitBytes));
        }
        return out;
    }

    static MemorySegment measure(ReplicaTimeline r, int from, int to, boolean afterRestart, RestartEvent end,
                                 EvidenceGrid grid, double limitBytes) {
        double[] ws = r.workingSetBytes();
        // A closed segment shorter than growth needs to be seen over cannot decide anything: skip its statistics.
        boolean tooShort = end != null && (to - from) * grid.stepMinutes() < GrowthPattern.MIN_GROWTH_SPAN_MINUTES;
        RobustTrend trend = tooShort ? RobustTrend.NONE : RobustTrend.of(ws, from, to, grid.stepMinutes());
        double startLevel = edgeLevel(ws, from, to, true) / limitBytes;
        double endLevel = edgeLevel(ws, from, to, false) / limitBytes;
        double rise = trend.known() ? trend.slopePerMinute() * trend.spanMinutes() / limitBytes : Double.NaN;
        // Traffic only matters for segments that rise: the rest skip the costlier statistics.
        boolean rising = trend.known() && trend.mannKendallZ() >= GrowthPattern.Z_RISING && trend.slopePerMinute() > 0;
        double[] req = rising ? r.requests() : null;
        RobustTrend trafficTrend = req == null ? RobustTrend.NONE : RobustTrend.of(req, from, to, grid.stepMinutes());
        int nb = Math.min(CORRELATION_POINTS, to - from);
        double[] w = bucketMeans(ws, from, to, nb);
        double[] t = new double[nb];
        for (int i = 0; i < nb; i++) {
            t[i] = i;
        }
        double rhoTraffic = Double.NaN;
        double partial = Double.NaN;
        double trafficMedian = Double.NaN;
        double partialTraffic = Double.NaN;
        int paired = 0;
        if (req != null) {
            double[] q = bucketMeans(req, from, to, nb);
            trafficMedian = StartupSpikes.medianOf(q);
            // Missing traffic where memory exists must not leave the time correlation unpaired.
            double[] wq = w.clone();
            double[] tq = t.clone();
            for (int i = 0; i < nb; i++) {
                if (Double.isNaN(q[i])) {
                    wq[i] = Double.NaN;
                    tq[i] = Double.NaN;
                }
            }
            rhoTraffic = RankCorrelation.spearman(wq, q, 0, nb);
            double rwt = RankCorrelation.spearman(wq, tq, 0, nb);
            double rqt = RankCorrelation.spearman(q, withNaNOf(tq, wq), 0, nb);
            partial = RankCorrelation.partial(rwt, rhoTraffic, rqt);
            partialTraffic = RankCorrelation.partial(rhoTraffic, rwt, rqt);
            for (int i = 0; i < nb; i++) {
                if (!Double.isNaN(wq[i]) && !Double.isNaN(q[i])) {
                    paired++;
                }
            }
        }
        return new MemorySegment(r.name(), from, to, afterRestart, end, trend, startLevel, endLevel, rise,
                trafficTrend, rhoTraffic, partial, trafficMedian, partialTraffic, paired, halfwayShare(w));
    }

    /** (level halfway − level at start) / (level at end − level at start), from the bucket means' tenths. */
    static double halfwayShare(double[] w) {
        int n = w.length;
        if (n < 10) {
            return Double.NaN;
        }
        int tenth = Math.max(1, n / 10);
        double start = meanOf(w, 0, tenth);
        double mid = meanOf(w, n / 2 - tenth / 2, n / 2 - tenth / 2 + tenth);
        double end = meanOf(w, n - tenth, n);
        if (Double.isNaN(start) || Double.isNaN(mid) || Double.isNaN(end) || end <= start) {
            return Double.NaN;
        }
        return (mid - start) / (end - start);
    }

    private static double meanOf(double[] v, int from, int to) {
        double sum = 0;
        int c = 0;
        for (int i = Math.max(0, from); i < Math.min(v.length, to); i++) {
            if (!Double.isNaN(v[i])) {
                sum += v[i];
                c++;
            }
        }
        return c == 0 ? Double.NaN : sum / c;
    }

    private static double[] withNaNOf(double[] a, double[] mask) {
        double[] o = a.clone();
        for (int i = 0; i < o.length; i++) {
            if (Double.isNaN(mask[i])) {
                o[i] = Double.NaN;
            }
        }
        return o;
    }

    /** Means of {@code nb} equal buckets of [from, to), NaN for a bucket without samples. */
    static double[] bucketMeans(double[] v, int from, int to, int nb) {
        return bucketMeans(v, from, to, nb, null);
    }

    /**
     * Means of {@code nb} equal buckets of [from, to), NaN for a bucket without samples; NaN samples
     * are skipped. When {@code meanIndex} is given (length ≥ nb), it receives each bucket's mean
     * index of the samples averaged (NaN for an empty bucket): {@link RobustTrend} places its
     * points there. This is the one place series are bucketed.
     */
    static double[] bucketMeans(double[] v, int from, int to, int nb, double[] meanIndex) {
        double[] out = new double[nb];
        Arrays.fill(out, Double.NaN);
        int len = to - from;
        for (int b = 0; b < nb; b++) {
            int s = from + (int) ((long) len * b / nb);
            int e = from + (int) ((long) len * (b + 1) / nb);
            double sum = 0;
            double sumIndex = 0;
            int c = 0;
            for (int i = s; i < e; i++) {
                if (v[i] == v[i]) {
                    sum += v[i];
                    sumIndex += i;
                    c++;
                }
            }
            if (c > 0) {
                out[b] = sum / c;
            }
            if (meanIndex != null) {
                meanIndex[b] = c > 0 ? sumIndex / c : Double.NaN;
            }
        }
        return out;
    }

    /** Median of the first samples (start) or the highest of the last samples (end), NaN when none. */
    private static double edgeLevel(double[] ws, int from, int to, boolean atStart) {
        double[] picked = new double[EDGE_SAMPLES];
        int n = 0;
        if (atStart) {
            for (int i = from; i < to && n < EDGE_SAMPLES; i++) {
                if (!Double.isNaN(ws[i])) {
                    picked[n++] = ws[i];
                }
            }
            if (n == 0) {
                return Double.NaN;
            }
            Arrays.sort(picked, 0, n);
            return picked[n / 2];
        }
        for (int i = to - 1; i >= from && n < EDGE_SAMPLES; i--) {
            if (!Double.isNaN(ws[i])) {
                picked[n++] = ws[i];
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        double m = picked[0];
        for (int i = 1; i < n; i++) {
            m = Math.max(m, picked[i]);
        }
        return m;
    }
}
