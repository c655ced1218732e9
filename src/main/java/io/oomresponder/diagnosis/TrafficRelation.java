package io.oomresponder.diagnosis;

import java.util.Arrays;
import java.util.List;

/**
 * Signal: does memory follow traffic? Per replica, the Spearman correlation of working set with
 * Requests (restart buckets and the samples right after them left out, since a restart resets
 * memory whatever the traffic), and whether memory fell back after traffic fell from its peak.
 *
 * @param medianCorrelation median over replicas of Spearman(working set, requests), NaN without Requests
 * @param replicasMeasured replicas with enough paired samples
 * @param trafficFellAfterPeak true when traffic fell by {@link #TRAFFIC_FALL_FRACTION} after its peak in some replica
 * @param memoryFellBackShare of the memory gained up to the traffic peak, the median share given back after it (NaN when traffic never fell)
 */
record TrafficRelation(double medianCorrelation, int replicasMeasured, boolean trafficFellAfterPeak, double memoryFellBackShare) {

    /** Traffic counts as having fallen when it drops this far below its peak. */
    static final double TRAFFIC_FALL_FRACTION = 0.30;
    /** Samples after a restart that are left out of the correlation (memory refilling). */
    static final double AFTER_RESTART_SKIP_MINUTES = 3;
    /** Bucket means used to find traffic peaks (smoothing out per-minute noise). */
    static final int SMOOTH_POINTS = 60;
    /** Bucket means the per-replica correlation uses. */
    static final int CORRELATION_POINTS = 240;

    static final TrafficRelation NONE = new TrafficRelation(Double.NaN, 0, false, Double.NaN);

    static TrafficRelation of(AppTimelines app, RestartEvents.Result restarts) {
        if (!app.hasRequests()) {
            return NONE;
        }
        int skip = app.grid().buckets(AFTER_RESTART_SKIP_MINUTES);
        double[] rhos = new double[app.replicas().size()];
        double[] backs = new double[app.replicas().size()];
        int n = 0;
        int nb = 0;
        boolean fell = false;
        for (ReplicaTimeline r : app.replicas()) {
            if (r.requests() == null) {
                continue;
            }
            double[] ws = r.workingSetBytes().clone();
            List<RestartEvent> ev = restarts.byReplica().getOrDefault(r.name(), List.of());
            for (RestartEvent e : ev) {
                for (int i = e.index(); i <= Math.min(ws.length - 1, e.index() + skip); i++) {
                    ws[i] = Double.NaN;
                }
            }
            // Bucket means keep the rank correlation about levels, and its cost independent of the window length.
            int nc = Math.min(CORRELATION_POINTS, ws.length);
            double rho = RankCorrelation.spearman(MemorySegments.bucketMeans(ws, 0, ws.length, nc),
                    MemorySegments.bucketMeans(r.requests(), 0, ws.length, nc), 0, nc);
            if (!Double.isNaN(rho)) {
                rhos[n++] = rho;
            }
            int points = Math.min(SMOOTH_POINTS, ws.length);
            double[] q = MemorySegments.bucketMeans(r.requests(), 0, ws.length, points);
            double[] w = MemorySegments.bucketMeans(ws, 0, ws.length, points);
            int peak = argMax(q);
            if (peak < 0) {
                continue;
            }
            double minAfter = Double.NaN;
            int minAt = -1;
            for (int i = peak + 1; i < points; i++) {
                if (!Double.isNaN(q[i]) && (Double.isNaN(minAfter) || q[i] < minAfter)) {
                    minAfter = q[i];
                    minAt = i;
                }
            }
            if (minAt < 0 || minAfter > q[peak] * (1 - TRAFFIC_FALL_FRACTION)) {
                continue;
            }
            fell = true;
            double baseBefore = Double.NaN;
            for (int i = 0; i < peak; i++) {
                if (!Double.isNaN(w[i]) && (Double.isNaN(baseBefore) || w[i] < baseBefore)) {
                    baseBefore = w[i];
                }
            }
            double atPeak = w[peak];
            double after = w[minAt];
            if (Double.isNaN(baseBefore) || Double.isNaN(atPeak) || Double.isNaN(after) || atPeak - baseBefore <= 0) {
                continue;
            }
            backs[nb++] = Math.max(-1, Math.min(1.5, (atPeak - after) / (atPeak - baseBefore)));
        }
        return new TrafficRelation(median(rhos, n), n, fell, median(backs, nb));
    }

    static int argMax(double[] v) {
        int best = -1;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isNaN(v[i]) && (best < 0 || v[i] > v[best])) {
                best = i;
            }
        }
        return best;
    }

    static double median(double[] v, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        double[] c = Arrays.copyOf(v, n);
        Arrays.sort(c);
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }
}
