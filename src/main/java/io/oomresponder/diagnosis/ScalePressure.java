package io.oomresponder.diagnosis;

/**
 * Signal: the app sits at maxReplicas while the load each replica carries keeps rising, so the
 * autoscaler cannot spread demand any further.
 *
 * @param maxReplicas the configured maximum, or null
 * @param pinnedShare share of the samples with replicas ≥ maxReplicas (NaN when unknown)
 * @param perReplicaLoadTrend Spearman of requests per replica with time (NaN without Requests)
 * @param perReplicaLoadRise Theil–Sen rise of requests per replica over the window, relative to its start level (NaN without Requests)
 */
record ScalePressure(Integer maxReplicas, double pinnedShare, double perReplicaLoadTrend, double perReplicaLoadRise) {

    /** Pinned when at the maximum for at least this share of the window. */
    static final double MIN_PINNED_SHARE = 0.5;
    /** Load per replica rising: rank correlation with time of at least this. */
    static final double MIN_LOAD_TREND_RHO = 0.5;
    /** ... and a rise of at least this share of its starting level. */
    static final double MIN_LOAD_RISE = 0.25;

    /** At maxReplicas for most of the window. */
    boolean pinned(DiagnosisThresholds t) {
        return maxReplicas != null && pinnedShare >= t.minPinnedShare();
    }

    /** Pinned while the load each replica carries rises clearly. */
    boolean pinnedWithRisingLoad(DiagnosisThresholds t) {
        return pinned(t) && perReplicaLoadTrend >= t.minLoadTrendRho() && perReplicaLoadRise >= t.minLoadRise();
    }

    static ScalePressure of(AppTimelines app, Integer maxReplicas) {
        int size = app.grid().size();
        double[] replicas = new double[size];
        double[] total = new double[size];
        boolean anyRequests = app.hasRequests();
        int[] present = new int[size];
        boolean[] have = new boolean[size];
        // Replica-major loops: each array is walked once, in order.
        for (ReplicaTimeline r : app.replicas()) {
            double[] w = r.workingSetBytes();
            double[] q = r.requests();
            for (int i = 0; i < size; i++) {
                if (w[i] == w[i]) {
                    present[i]++;
                }
                if (q != null && q[i] == q[i]) {
                    total[i] += q[i];
                    have[i] = true;
                }
            }
        }
        for (int i = 0; i < size; i++) {
            double counted = app.replicaCount() == null ? Double.NaN : app.replicaCount()[i];
            replicas[i] = counted == counted ? counted : (present[i] == 0 ? Double.NaN : present[i]);
            if (!have[i]) {
                total[i] = Double.NaN;
            }
        }
        double pinned = Double.NaN;
        if (maxReplicas != null && maxReplicas > 0) {
            int known = 0;
            int at = 0;
            for (double v : replicas) {
                if (v == v) {
                    known++;
                    if (v >= maxReplicas) {
                        at++;
                    }
                }
            }
            pinned = known == 0 ? Double.NaN : at / (double) known;
        }
        double trend = Double.NaN;
        double rise = Double.NaN;
        if (anyRequests) {
            double[] perReplica = new double[size];
            for (int i = 0; i < size; i++) {
                perReplica[i] = total[i] != total[i] || replicas[i] != replicas[i] || replicas[i] <= 0
                        ? Double.NaN : total[i] / replicas[i];
            }
            int nb = Math.min(MemorySegments.CORRELATION_POINTS, size);
            double[] q = MemorySegments.bucketMeans(perReplica, 0, size, nb);
            double[] t = new double[nb];
            for (int i = 0; i < nb; i++) {
                t[i] = i;
            }
            trend = RankCorrelation.spearman(q, t, 0, nb);
            RobustTrend tr = RobustTrend.of(perReplica, 0, size, app.grid().stepMinutes());
            double base = StartupSpikes.medianOf(java.util.Arrays.copyOf(perReplica, Math.max(1, size / 10)));
            if (tr.known() && base > 0) {
                rise = tr.slopePerMinute() * tr.spanMinutes() / base;
            }
        }
        return new ScalePressure(maxReplicas, pinned, trend, rise);
    }
}
