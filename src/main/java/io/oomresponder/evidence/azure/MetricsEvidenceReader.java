package io.oomresponder.evidence.azure;

import com.azure.monitor.query.models.MetricResult;
import com.azure.monitor.query.models.MetricValue;
import com.azure.monitor.query.models.MetricsQueryResourcesResult;
import com.azure.monitor.query.models.MetricsQueryResult;
import com.azure.monitor.query.models.TimeSeriesElement;
import io.oomresponder.evidence.MetricPoint;
import io.oomresponder.evidence.MetricSeries;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Maps a metrics batch result to the bundle's series: one series per metric, wanted aggregation
 * and dimension combination (revisionName/podName, whatever case the service wrote them in).
 * Empty buckets stay null; a series without a single sample is left out (the service itself omits
 * most of them, and the replica still appears under {@code replicas}).
 */
final class MetricsEvidenceReader {

    /** Which aggregations the bundle keeps per metric; the batch call asks for their union. */
    static final Map<String, List<String>> WANTED = wanted();

    private MetricsEvidenceReader() {
    }

    static List<MetricSeries> series(MetricsQueryResourcesResult result) {
        List<MetricSeries> out = new ArrayList<>();
        for (MetricsQueryResult resource : result.getMetricsQueryResults()) {
            for (MetricResult metric : resource.getMetrics()) {
                List<String> aggregations = WANTED.getOrDefault(metric.getMetricName(), List.of("Average"));
                String unit = metric.getUnit() == null ? null : metric.getUnit().toString();
                for (TimeSeriesElement ts : metric.getTimeSeries()) {
                    Map<String, String> dims = dimensions(ts.getMetadata());
                    for (String aggregation : aggregations) {
                        Function<MetricValue, Double> value = accessor(aggregation);
                        List<MetricPoint> points = new ArrayList<>();
                        boolean any = false;
                        for (MetricValue v : ts.getValues()) {
                            Double x = value.apply(v);
                            any |= x != null;
                            points.add(new MetricPoint(v.getTimeStamp().toInstant(), x));
                        }
                        if (any) {
                            out.add(new MetricSeries(metric.getMetricName(), aggregation, unit, dims, points));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** revisionname/PodName/... become the bundle's revisionName/podName; other names pass through. */
    static Map<String, String> dimensions(Map<String, String> metadata) {
        Map<String, String> out = new LinkedHashMap<>();
        if (metadata == null) {
            return out;
        }
        metadata.forEach((k, v) -> {
            String key = switch (k.toLowerCase(Locale.ROOT)) {
                case "revisionname" -> "revisionName";
                case "podname", "replicaname" -> "podName";
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
        w.put("RestartCount", List.of("Total"));
        w.put("Requests", List.of("Total"));
        w.put("Replicas", List.of("Maximum"));
        w.put("MemoryPercentage", List.of("Maximum"));
        w.put("UsageNanoCores", List.of("Average"));
        return w;
    }
}
