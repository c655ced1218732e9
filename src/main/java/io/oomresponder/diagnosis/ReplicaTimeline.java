package io.oomresponder.diagnosis;

import java.time.Instant;

/**
 * The metrics of one replica converted once onto the evidence grid: working set bytes, requests
 * per bucket and the restart counter, NaN where a sample is missing. Arrays are shared, not
 * copied: the diagnosis builds them and only reads them afterwards.
 *
 * @param name replica (pod) name
 * @param revision revision name, or null
 * @param createdAt when the replica was created, or null
 * @param workingSetBytes working set per bucket (Maximum when available, else Average)
 * @param requests requests per bucket, or null when the bundle has no Requests for this replica
 * @param restarts the RestartCount series as gathered (Azure: a running counter per replica; Maximum preferred), or null when absent
 * @param armRestartCount the replica's restart count as ARM reports it (since creation), or null
 */
record ReplicaTimeline(String name, String revision, Instant createdAt, double[] workingSetBytes,
                       double[] requests, double[] restarts, Integer armRestartCount) {

    /** Samples of working set that are present. */
    int workingSetSamples() {
        int n = 0;
        for (double v : workingSetBytes) {
            if (v == v) {
                n++;
            }
        }
        return n;
    }

    /** Highest working set in [from, to), NaN when none. */
    double peak(int from, int to) {
        double m = Double.NaN;
        for (int i = Math.max(0, from); i < Math.min(to, workingSetBytes.length); i++) {
            double v = workingSetBytes[i];
            if (v == v && (m != m || v > m)) {
                m = v;
            }
        }
        return m;
    }
}
