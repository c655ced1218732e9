package io.oomresponder.diagnosis;

import java.util.Arrays;
import java.util.List;

/**
 * Signal: does memory follow traffic? Per replica, the Spearman correlation of working set with
 * Requests (restart buckets and the samples right after them left out, since a restart resets
 * memory whatever the traffic).
 *
 * @param medianCorrelation median over replicas of Spearman(working set, requests), NaN without Requests
 * @param replicasMeasured replicas with enough paired samples
 */
record TrafficRelation(double medianCorrelation, int replicasMeasured) {

    /** Samples after a restart that are left out of the correlation (memory refilling). */
    static final double AFTER_RESTART_SKIP_MINUTES = 3;
    /** Bucket means the per-replica correlation uses. */
    static final int CORRELATION_POINTS = 240;

    static final TrafficRelation NONE = new TrafficRelation(Double.NaN, 0);

    static TrafficRelation of(AppTimelines app, RestartEvents.Result restarts) {
        if (!app.hasRequests()) {
            return NONE;
        }
        int skip = app.grid().buckets(AFTER_RESTART_SKIP_MINUTES);
        double[] rhos = new double[app.replicas().size()];
        int n = 0;
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
        }
        return new TrafficRelation(median(rhos, n), n);
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
