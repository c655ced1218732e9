package io.oomresponder.diagnosis;

import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.MetricSeries;

import java.util.List;
import java.util.Locale;

/**
 * Signal: the backlog of the queue the app scales on, from the queue's own metrics (gathered through
 * the same metrics API as the app's, on the queue's resource): Service Bus {@code ActiveMessages}
 * (messages waiting in the entity), Storage {@code QueueMessageCount} (approximate messages in the
 * account's queues; hourly), Event Hubs {@code IncomingMessages} − {@code OutgoingMessages}
 * accumulated over the window (messages in minus messages read). A backlog that grows over the
 * window (Mann–Kendall Z ≥ {@link GrowthPattern#Z_RISING}) means work arrives faster than it is
 * finished: the condition an unbounded in-memory buffer needs to grow.
 *
 * @param metric     which metric measured it ("ActiveMessages", ...), null when the bundle has none
 * @param trend      the backlog's trend over the window ({@link RobustTrend#NONE} when unmeasured)
 * @param first      backlog at the start (median of the first samples), NaN when unmeasured
 * @param last       backlog at the end (median of the last samples), NaN when unmeasured
 */
record QueueBacklog(String metric, RobustTrend trend, double first, double last) {

    /** Series dimension naming the metrics namespace of a series that is not the container app's. */
    static final String NAMESPACE_DIMENSION = "metricNamespace";
    static final String SERVICE_BUS = "Microsoft.ServiceBus/namespaces";
    static final String STORAGE_QUEUES = "Microsoft.Storage/storageAccounts/queueServices";
    static final String EVENT_HUBS = "Microsoft.EventHub/namespaces";

    static final QueueBacklog NONE = new QueueBacklog(null, RobustTrend.NONE, Double.NaN, Double.NaN);

    boolean measured() {
        return trend.known();
    }

    /** The backlog grew significantly over the window. */
    boolean grows() {
        return trend.known() && trend.mannKendallZ() >= GrowthPattern.Z_RISING && trend.slopePerMinute() > 0;
    }

    static QueueBacklog of(EvidenceBundle bundle, EvidenceGrid grid) {
        QueueBacklog sb = level(bundle, grid, "ActiveMessages", SERVICE_BUS);
        if (sb.measured()) {
            return sb;
        }
        QueueBacklog storage = level(bundle, grid, "QueueMessageCount", STORAGE_QUEUES);
        if (storage.measured()) {
            return storage;
        }
        return eventHubs(bundle, grid);
    }

    /** A backlog gauge: the sum over the series (entities) of the namespace, per bucket. */
    private static QueueBacklog level(EvidenceBundle bundle, EvidenceGrid grid, String name, String namespace) {
        double[] v = sum(bundle.series(name), namespace, grid, List.of("Average", "Maximum", "Total"));
        return v == null ? NONE : measure(name, v, grid);
    }

    /** Event Hubs has no backlog gauge: messages in minus messages read, accumulated. */
    private static QueueBacklog eventHubs(EvidenceBundle bundle, EvidenceGrid grid) {
        double[] in = sum(bundle.series("IncomingMessages"), EVENT_HUBS, grid, List.of("Total"));
        double[] out = sum(bundle.series("OutgoingMessages"), EVENT_HUBS, grid, List.of("Total"));
        if (in == null || out == null) {
            return NONE;
        }
        double[] backlog = new double[in.length];
        double acc = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i] != in[i] || out[i] != out[i]) {
                backlog[i] = Double.NaN;
                continue;
            }
            acc += in[i] - out[i];
            backlog[i] = acc;
        }
        return measure("IncomingMessages−OutgoingMessages", backlog, grid);
    }

    private static QueueBacklog measure(String name, double[] v, EvidenceGrid grid) {
        // Over the span the backlog was measured: a window widened to a day around a queue read for
        // three hours would otherwise fold those hours into a few of the trend's buckets.
        int from = 0;
        int to = v.length;
        while (from < to && v[from] != v[from]) {
            from++;
        }
        while (to > from && v[to - 1] != v[to - 1]) {
            to--;
        }
        RobustTrend t = RobustTrend.of(v, from, to, grid.stepMinutes());
        if (!t.known() || t.points() < GrowthPattern.MIN_GROWTH_POINTS) {
            return NONE;
        }
        return new QueueBacklog(name, t, edge(v, true), edge(v, false));
    }

    /** Per bucket, the sum over the namespace's series of one aggregation (the first one present); null when none. */
    private static double[] sum(List<MetricSeries> series, String namespace, EvidenceGrid grid, List<String> aggregations) {
        for (String aggregation : aggregations) {
            double[] out = null;
            for (MetricSeries s : series) {
                String ns = s.dimensions().get(NAMESPACE_DIMENSION);
                if (ns == null || !ns.toLowerCase(Locale.ROOT).equals(namespace.toLowerCase(Locale.ROOT))
                        || !aggregation.equalsIgnoreCase(s.aggregation())) {
                    continue;
                }
                if (out == null) {
                    out = new double[grid.size()];
                    java.util.Arrays.fill(out, Double.NaN);
                }
                for (int i = 0; i < s.size(); i++) {
                    int b = grid.index(s.epochSecond(i));
                    if (b < 0 || !s.hasValue(i)) {
                        continue;
                    }
                    out[b] = out[b] != out[b] ? s.value(i) : out[b] + s.value(i);
                }
            }
            if (out != null) {
                return out;
            }
        }
        return null;
    }

    private static double edge(double[] v, boolean atStart) {
        double[] picked = new double[5];
        int n = 0;
        for (int k = 0; k < v.length && n < picked.length; k++) {
            double x = v[atStart ? k : v.length - 1 - k];
            if (x == x) {
                picked[n++] = x;
            }
        }
        return TrafficRelation.median(picked, n);
    }
}
