package io.oomresponder.evidence.azure;

import com.azure.monitor.query.models.AggregationType;
import com.azure.monitor.query.models.MetricResult;
import com.azure.monitor.query.models.MetricValue;
import com.azure.monitor.query.models.MetricsQueryResult;
import com.azure.monitor.query.models.TimeSeriesElement;
import io.oomresponder.evidence.MetricSeries;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which Container Apps metrics the bundle holds, how they are asked for, and how a metrics result
 * maps to the bundle's series: one series per metric, wanted aggregation and dimension combination
 * (revisionName/podName, whatever case the service wrote them in). Empty buckets stay null; a series
 * without a single sample is left out (the service itself omits most of them, and the replica still
 * appears under {@code replicas}).
 *
 * <p>The metrics API refuses the whole call (400, "does not support requested dimension
 * combination") when the filter names a dimension that one of the requested metrics lacks; it
 * does not drop the filter (Learn, "Migrate from the metrics API to the getBatch API", error
 * response changes). So the metrics are asked for in {@link #GROUPS}, one call per set of supported
 * dimensions, as the supported-metrics reference for Microsoft.App/containerApps lists them.
 */
final class MetricsEvidenceReader {

    /** Which aggregations the bundle keeps per metric; each call asks for the union of its group's. */
    static final Map<String, List<String>> WANTED = wanted();

    /**
     * One call per set of dimensions, each metric split by every dimension it has among
     * revisionName and podName. Source: Learn "Supported metrics for Microsoft.App/containerApps":
     * WorkingSetBytes, RestartCount, Requests and UsageNanoCores have revisionName and podName;
     * Replicas has revisionName only; MemoryPercentage (preview) has podName only. Requests is asked
     * for a second time split by statusCodeCategory alone (app-wide): the note's impact line (5xx
     * share before and during the restarts) reads that view.
     */
    static final List<MetricGroup> GROUPS = List.of(
            new MetricGroup(List.of("WorkingSetBytes", "RestartCount", "Requests", "UsageNanoCores"), List.of("revisionName", "podName")),
            new MetricGroup(List.of("Replicas"), List.of("revisionName")),
            new MetricGroup(List.of("MemoryPercentage"), List.of("podName")),
            new MetricGroup(List.of("Requests"), List.of("statusCodeCategory")));

    /**
     * The Java metrics (Learn "Java metrics for Java apps in Azure Container Apps"), one call per
     * set of dimensions the supported-metrics reference lists for them: pools by poolName and
     * poolType, heap / non-heap totals by poolType, buffer pools by poolName, collections by
     * gcName, threads by daemon and threadState (a replica's thread count is the sum of those
     * series). Each also splits by revisionName and podName. Asked only for an app whose ARM
     * configuration has Java metrics on ({@code runtime.java.enableMetrics}), or when the app could
     * not be read; an app without them gets empty answers.
     */
    static final List<MetricGroup> JAVA_GROUPS = List.of(
            new MetricGroup(List.of("JvmMemoryUsed"), List.of("revisionName", "podName", "poolName", "poolType")),
            new MetricGroup(List.of("JvmMemoryTotalUsed", "JvmMemoryTotalCommitted", "JvmMemoryTotalLimit"), List.of("revisionName", "podName", "poolType")),
            new MetricGroup(List.of("JvmBufferMemoryUsage", "JvmBufferMemoryLimit", "JvmBufferCount"), List.of("revisionName", "podName", "poolName")),
            new MetricGroup(List.of("JvmGcCount", "JvmGcDuration"), List.of("revisionName", "podName", "gcName")),
            new MetricGroup(List.of("JvmThreadCount"), List.of("revisionName", "podName", "daemon", "threadState")));

    /** Java series per replica are many (one per pool, buffer pool, collector, thread state): the call's top is this many times the usual. */
    static final int JAVA_TOP_FACTOR = 12;

    private MetricsEvidenceReader() {
    }

    /**
     * Metrics asked for in one call: they share the dimensions they are split by.
     *
     * @param metrics REST names of the metrics
     * @param splitBy the dimensions every one of them supports, split with {@code eq '*'}
     */
    record MetricGroup(List<String> metrics, List<String> splitBy) {
        MetricGroup {
            metrics = List.copyOf(metrics);
            splitBy = List.copyOf(splitBy);
        }

        /** The metrics API filter: {@code revisionName eq '*' and podName eq '*'}. */
        String filter() {
            return splitBy.stream().map(d -> d + " eq '*'").collect(Collectors.joining(" and "));
        }

        /** The union of the aggregations the bundle keeps for these metrics. */
        List<AggregationType> aggregations() {
            Set<AggregationType> out = new LinkedHashSet<>();
            for (String metric : metrics) {
                for (String a : WANTED.get(metric)) {
                    out.add(AggregationType.fromString(a));
                }
            }
            return List.copyOf(out);
        }

        /** For gaps and logs: "metrics WorkingSetBytes, RestartCount (by revisionName, podName)". */
        String label() {
            return "metrics " + String.join(", ", metrics) + " (by " + String.join(", ", splitBy) + ")";
        }
    }

    static List<MetricSeries> series(MetricsQueryResult resource) {
        List<MetricSeries> out = new ArrayList<>();
        for (MetricResult metric : resource.getMetrics()) {
            List<String> aggregations = WANTED.getOrDefault(metric.getMetricName(), List.of("Average"));
            String unit = metric.getUnit() == null ? null : metric.getUnit().toString();
            for (TimeSeriesElement ts : metric.getTimeSeries()) {
                Map<String, String> dims = dimensions(ts.getMetadata());
                for (String aggregation : aggregations) {
                    Function<MetricValue, Double> value = accessor(aggregation);
                    // Straight into the bundle's columns: no point object per sample.
                    List<MetricValue> values = ts.getValues();
                    long[] times = new long[values.size()];
                    double[] samples = new double[values.size()];
                    boolean any = false;
                    for (int i = 0; i < times.length; i++) {
                        MetricValue v = values.get(i);
                        Double x = value.apply(v);
                        any |= x != null;
                        times[i] = v.getTimeStamp().toEpochSecond();
                        samples[i] = x == null ? Double.NaN : x;
                    }
                    if (any) {
                        out.add(MetricSeries.ofColumns(metric.getMetricName(), aggregation, unit, dims, times, samples));
                    }
                }
            }
        }
        return out;
    }

    /**
     * revisionname/PodName/statuscodecategory become the bundle's revisionName/podName/statusCodeCategory,
     * and the Java metrics' dimensions their reference spelling (poolName, poolType, gcName,
     * threadState, daemon, container); other names pass through.
     */
    static Map<String, String> dimensions(Map<String, String> metadata) {
        Map<String, String> out = new LinkedHashMap<>();
        if (metadata == null) {
            return out;
        }
        metadata.forEach((k, v) -> {
            String key = switch (k.toLowerCase(Locale.ROOT)) {
                case "revisionname" -> "revisionName";
                case "podname", "replicaname" -> "podName";
                case "statuscodecategory" -> "statusCodeCategory";
                case "poolname" -> "poolName";
                case "pooltype" -> "poolType";
                case "gcname" -> "gcName";
                case "threadstate" -> "threadState";
                case "daemon" -> "daemon";
                case "container" -> "container";
                case "entityname" -> QueueBacklogReader.ENTITY_DIMENSION;
                default -> k;
            };
            if (v != null) {
                out.put(key, v);
            }
        });
        return out;
    }

    private static Function<MetricValue, Double> accessor(String aggregation) {
        return switch (aggregation) {
            case "Maximum" -> MetricValue::getMaximum;
            case "Minimum" -> MetricValue::getMinimum;
            case "Total" -> MetricValue::getTotal;
            case "Count" -> MetricValue::getCount;
            default -> MetricValue::getAverage;
        };
    }

    private static Map<String, List<String>> wanted() {
        Map<String, List<String>> w = new LinkedHashMap<>();
        w.put("WorkingSetBytes", List.of("Maximum", "Average"));
        // RestartCount is a running counter per replica: Maximum per bucket is its value at any
        // grain; Total sums the samples of a bucket (kept for bundles and readers that expect it).
        w.put("RestartCount", List.of("Maximum", "Total"));
        w.put("Requests", List.of("Total"));
        w.put("Replicas", List.of("Maximum"));
        w.put("MemoryPercentage", List.of("Maximum"));
        w.put("UsageNanoCores", List.of("Average"));
        // Java: the minimum of heap used in a minute is the floor after its collections; the maximum the sawtooth's top.
        w.put("JvmMemoryUsed", List.of("Minimum", "Maximum"));
        w.put("JvmMemoryTotalUsed", List.of("Minimum", "Maximum"));
        w.put("JvmMemoryTotalCommitted", List.of("Maximum"));
        w.put("JvmMemoryTotalLimit", List.of("Maximum"));
        w.put("JvmBufferMemoryUsage", List.of("Maximum"));
        w.put("JvmBufferMemoryLimit", List.of("Maximum"));
        w.put("JvmBufferCount", List.of("Maximum"));
        w.put("JvmGcCount", List.of("Total"));
        w.put("JvmGcDuration", List.of("Total"));
        w.put("JvmThreadCount", List.of("Maximum"));
        // Queue backlogs, read on the queue's own resource (QueueBacklogReader): the aggregation Learn lists first for each.
        w.put("ActiveMessages", List.of("Average"));
        w.put("QueueMessageCount", List.of("Average"));
        w.put("IncomingMessages", List.of("Total"));
        w.put("OutgoingMessages", List.of("Total"));
        return w;
    }
}
