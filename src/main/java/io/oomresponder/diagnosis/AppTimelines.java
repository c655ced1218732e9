package io.oomresponder.diagnosis;

import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.evidence.Replica;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundle's metrics converted once into arrays on one grid, per replica, so the signals work
 * on {@code double[]} and never on point objects.
 *
 * @param grid the time grid
 * @param replicas one timeline per replica that has working-set samples or appears in ARM
 * @param replicaCount replicas per bucket (Replicas metric summed over revisions), or null when absent
 * @param workingSetAggregation the aggregation used for working set (Maximum, Average, ...), "MemoryPercentage
 *        Maximum × limit" when it stands in for a missing WorkingSetBytes, or null when none
 */
record AppTimelines(EvidenceGrid grid, List<ReplicaTimeline> replicas, double[] replicaCount, String workingSetAggregation) {

    static final String WORKING_SET = "WorkingSetBytes";
    static final String RESTART_COUNT = "RestartCount";
    static final String REQUESTS = "Requests";
    static final String REPLICAS = "Replicas";
    static final String MEMORY_PERCENTAGE = "MemoryPercentage";
    /** The Requests dimension of the HTTP status class ("2xx", "5xx"); a series split by it alone is an app-wide view. */
    static final String STATUS_CODE_CATEGORY = "statusCodeCategory";
    /** The name of the pseudo-replica for series that are not split by replica. */
    static final String WHOLE_APP = "(app)";

    boolean hasRequests() {
        return replicas.stream().anyMatch(r -> r.requests() != null);
    }

    /** Builds the timelines of a bundle whose replica limit is unknown (no MemoryPercentage fallback). */
    static AppTimelines from(EvidenceBundle bundle) {
        return from(bundle, null);
    }

    /**
     * Builds the timelines of a bundle. Without any WorkingSetBytes sample (missing or denied),
     * MemoryPercentage × {@code limitBytes} / 100 stands in for the working set per replica, when
     * the limit is known; {@link #workingSetAggregation()} then says so.
     */
    static AppTimelines from(EvidenceBundle bundle, Long limitBytes) {
        List<MetricSeries> ws = bundle.series(WORKING_SET);
        String aggregation = preferred(ws, "Maximum", "Average", "Total", "Minimum");
        double scale = 1;
        String source = aggregation;
        if (aggregation == null && limitBytes != null && limitBytes > 0) {
            List<MetricSeries> pct = bundle.series(MEMORY_PERCENTAGE);
            String pa = preferred(pct, "Maximum", "Average");
            if (pa != null) {
                ws = pct;
                aggregation = pa;
                scale = limitBytes / 100.0;
                source = "MemoryPercentage " + pa + " × limit";
            }
        }
        EvidenceGrid grid = EvidenceGrid.of(bundle.window().start(), bundle.window().end(),
                effectiveGrain(bundle.window().grain(), ws));

        Map<String, double[]> wsByPod = byPod(ws, aggregation, grid, false);
        if (scale != 1) {
            for (double[] a : wsByPod.values()) {
                for (int i = 0; i < a.length; i++) {
                    a[i] *= scale;
                }
            }
        }
        // Requests split by status class alone is a second, app-wide view of the same requests
        // (IncidentState reads it): counted here it would be a phantom replica.
        List<MetricSeries> requests = bundle.series(REQUESTS).stream()
                .filter(s -> s.podName() != null || !s.dimensions().containsKey(STATUS_CODE_CATEGORY)).toList();
        Map<String, double[]> reqByPod = byPod(requests, preferred(requests, "Total", "Average", "Maximum"), grid, true);
        // RestartCount is a running counter: Maximum per bucket is its value; Total adds up the
        // samples of a bucket, which at a grain above the emission interval overstates it. If it is
        // per-bucket counts instead (Learn: "the aggregate restart count over the specified time
        // range"), the Maximum of a coarse bucket keeps one minute's count and Total is the sum. So
        // per replica: Maximum while it reads as a counter (never falls), else Total where present.
        List<MetricSeries> rcSeries = bundle.series(RESTART_COUNT);
        Map<String, double[]> rcByPod = byPod(rcSeries, preferred(rcSeries, "Maximum", "Total", "Average"), grid, false);
        Map<String, double[]> rcTotal = byPod(rcSeries, "Total", grid, false);
        for (Map.Entry<String, double[]> e : rcByPod.entrySet()) {
            double[] total = rcTotal.get(e.getKey());
            if (total != null && total != e.getValue() && RestartEvents.falls(e.getValue())) {
                e.setValue(total);
            }
        }

        Map<String, Replica> armByName = new LinkedHashMap<>();
        for (Replica r : bundle.replicas()) {
            if (r.name() != null) {
                armByName.put(r.name(), r);
            }
        }
        Map<String, String> revisionByPod = new LinkedHashMap<>();
        for (MetricSeries s : bundle.metrics()) {
            String pod = s.podName() == null ? WHOLE_APP : s.podName();
            if (s.revisionName() != null) {
                revisionByPod.putIfAbsent(pod, s.revisionName());
            }
        }
        List<String> names = new ArrayList<>(wsByPod.keySet());
        for (String n : armByName.keySet()) {
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        names.sort(String::compareTo);
        List<ReplicaTimeline> timelines = new ArrayList<>();
        for (String n : names) {
            Replica arm = armByName.get(n);
            double[] w = wsByPod.get(n);
            if (w == null) {
                w = new double[grid.size()];
                Arrays.fill(w, Double.NaN);
            }
            double[] req = reqByPod.get(n);
            if (req == null && n.equals(WHOLE_APP)) {
                req = reqByPod.get(WHOLE_APP);
            }
            double[] rc = rcByPod.get(n);
            timelines.add(new ReplicaTimeline(n,
                    arm != null && arm.revision() != null ? arm.revision() : revisionByPod.get(n),
                    arm == null ? null : arm.createdAt(), w, req, rc,
                    arm == null || arm.containers().isEmpty() ? null : arm.totalRestarts()));
        }
        double[] replicaCount = null;
        List<MetricSeries> rs = bundle.series(REPLICAS);
        if (!rs.isEmpty()) {
            String agg = preferred(rs, "Maximum", "Average", "Total");
            replicaCount = new double[grid.size()];
            Arrays.fill(replicaCount, Double.NaN);
            for (MetricSeries s : rs) {
                if (agg != null && !agg.equalsIgnoreCase(String.valueOf(s.aggregation()))) {
                    continue;
                }
                for (int k = 0; k < s.size(); k++) {
                    int i = grid.index(s.epochSecond(k));
                    double v = s.value(k);
                    if (i >= 0 && !Double.isNaN(v)) {
                        replicaCount[i] = Double.isNaN(replicaCount[i]) ? v : replicaCount[i] + v;
                    }
                }
            }
        }
        return new AppTimelines(grid, List.copyOf(timelines), replicaCount, source);
    }

    /**
     * The grain the working-set samples actually have: the window's grain unless the samples are
     * spaced wider (then a finer grid would only hold gaps).
     */
    private static Duration effectiveGrain(Duration declared, List<MetricSeries> ws) {
        long declaredSeconds = Math.max(1, declared.getSeconds());
        long smallest = Long.MAX_VALUE;
        for (MetricSeries s : ws) {
            for (int i = 1; i < s.size(); i++) {
                long d = s.epochSecond(i) - s.epochSecond(i - 1);
                if (d > 0 && d < smallest) {
                    smallest = d;
                }
            }
            if (smallest <= declaredSeconds) {
                break;
            }
        }
        if (smallest == Long.MAX_VALUE || smallest <= declaredSeconds) {
            return Duration.ofSeconds(declaredSeconds);
        }
        return Duration.ofSeconds(smallest);
    }

    private static String preferred(List<MetricSeries> series, String... order) {
        for (String a : order) {
            for (MetricSeries s : series) {
                if (a.equalsIgnoreCase(s.aggregation()) && s.hasAnyValue()) {
                    return a;
                }
            }
        }
        for (MetricSeries s : series) {
            if (s.hasAnyValue()) {
                return s.aggregation();
            }
        }
        return null;
    }

    /** Series of one aggregation on the grid, keyed by pod (series not split by pod go under {@link #WHOLE_APP}). */
    private static Map<String, double[]> byPod(List<MetricSeries> series, String aggregation, EvidenceGrid grid, boolean additive) {
        Map<String, double[]> out = new LinkedHashMap<>();
        if (aggregation == null) {
            return out;
        }
        for (MetricSeries s : series) {
            String agg = s.aggregation();
            if (agg != null && !agg.equalsIgnoreCase(aggregation)) {
                continue;
            }
            String pod = s.podName() == null ? WHOLE_APP : s.podName();
            double[] a = out.get(pod);
            if (a == null) {
                a = new double[grid.size()];
                Arrays.fill(a, Double.NaN);
                out.put(pod, a);
            }
            for (int k = 0; k < s.size(); k++) {
                double v = s.value(k);
                if (v != v) {
                    continue;
                }
                int i = grid.index(s.epochSecond(k));
                if (i >= 0) {
                    // Two samples in one bucket (a coarser grid): counts add up, levels keep the larger.
                    a[i] = a[i] != a[i] ? v : (additive ? a[i] + v : Math.max(a[i], v));
                }
            }
        }
        return out;
    }
}
