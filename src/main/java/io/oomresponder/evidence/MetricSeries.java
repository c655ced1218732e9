package io.oomresponder.evidence;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One Azure Monitor time series: metric {@code name} (WorkingSetBytes, RestartCount, ...),
 * {@code aggregation} (Maximum, Average, Total), dimensions (revisionName, podName) and points in
 * time order. A missing sample is a point with a null value, never 0.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MetricSeries(String name, String aggregation, String unit, Map<String, String> dimensions, List<MetricPoint> points) {

    public MetricSeries {
        Objects.requireNonNull(name, "name");
        dimensions = dimensions == null ? Map.of() : Map.copyOf(dimensions);
        points = points == null ? List.of() : List.copyOf(points);
    }

    /** The replica this series belongs to, or null for series not split by replica. */
    public String podName() {
        return dimensions.get("podName");
    }

    public String revisionName() {
        return dimensions.get("revisionName");
    }
}
