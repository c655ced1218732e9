package io.oomresponder.evidence;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.oomresponder.intake.AlertSignal;

import java.util.List;
import java.util.Objects;

/**
 * Everything gathered for one alert, in the public evidence bundle format, version 1
 * ({@code docs/evidence-bundle.md}). Missing collections read as empty lists.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"schemaVersion", "alert", "window", "app", "replicas", "metrics", "systemLogs", "consoleLogs", "gaps"})
public record EvidenceBundle(
        int schemaVersion,
        AlertSignal alert,
        EvidenceWindow window,
        AppConfig app,
        List<Replica> replicas,
        List<MetricSeries> metrics,
        List<SystemLogEvent> systemLogs,
        List<ConsoleLine> consoleLogs,
        List<EvidenceGap> gaps) {

    /** The only version this code writes. */
    public static final int SCHEMA_VERSION = 1;

    public EvidenceBundle {
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(app, "app");
        replicas = replicas == null ? List.of() : List.copyOf(replicas);
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
        systemLogs = systemLogs == null ? List.of() : List.copyOf(systemLogs);
        consoleLogs = consoleLogs == null ? List.of() : List.copyOf(consoleLogs);
        gaps = gaps == null ? List.of() : List.copyOf(gaps);
    }

    /** The same evidence for another alert (alerts that share one gather, replays under another id). */
    public EvidenceBundle withAlert(AlertSignal other) {
        return new EvidenceBundle(schemaVersion, other, window, app, replicas, metrics, systemLogs, consoleLogs, gaps);
    }

    /** The same evidence with other metric series. */
    public EvidenceBundle withMetrics(List<MetricSeries> other) {
        return new EvidenceBundle(schemaVersion, alert, window, app, replicas, other, systemLogs, consoleLogs, gaps);
    }

    /** The series with this metric name, in bundle order. */
    public List<MetricSeries> series(String metricName) {
        return metrics.stream().filter(m -> metricName.equals(m.name())).toList();
    }
}
