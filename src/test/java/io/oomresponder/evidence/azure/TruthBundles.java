package io.oomresponder.evidence.azure;

import io.oomresponder.evidence.AppConfig;
import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.ContainerSpec;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceWindow;
import io.oomresponder.evidence.MetricPoint;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.evidence.ProbeSpec;
import io.oomresponder.evidence.Replica;
import io.oomresponder.evidence.RevisionInfo;
import io.oomresponder.evidence.ScaleSettings;
import io.oomresponder.evidence.SystemLogEvent;
import io.oomresponder.intake.AlertSignal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-made truth bundles whose every field differs from the defaults, for mapping tests. */
final class TruthBundles {

    static final String SUBSCRIPTION = "11111111-2222-3333-4444-555555555555";
    static final String RESOURCE_GROUP = "rg-map";
    static final Instant FIRED_AT = Instant.parse("2026-11-20T10:00:30Z");
    static final Instant START = Instant.parse("2026-11-20T09:50:00Z");
    /** Console lines of replica A, 10 s apart from START; its restart comes after line 59. */
    static final int LINES_OF_A = 70;
    static final int RESTART_AFTER_LINE = 59;

    private TruthBundles() {
    }

    static String resourceId(String app) {
        return "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + RESOURCE_GROUP + "/providers/Microsoft.App/containerApps/" + app;
    }

    /** An app with two containers on a Dedicated D4 profile, two tags, probes, three kinds of scale rule, an inactive revision, two replicas. */
    static EvidenceBundle detailed(String app, String revision, String replicaA, String replicaB) {
        String id = resourceId(app);
        List<ContainerSpec> containers = List.of(
                new ContainerSpec("api", "acr.example/api:7", 0.75, "1.5Gi", 1_610_612_736L, List.of(
                        new ProbeSpec("Liveness", "HTTP", "/healthz", 8080, 5, 10, 1, 3),
                        new ProbeSpec("Startup", "TCP", null, 8080, 0, 2, 1, 10))),
                new ContainerSpec("sidecar", "acr.example/sidecar:1", 0.25, "512Mi", 536_870_912L, List.of()));
        ScaleSettings scale = new ScaleSettings(2, 7, List.of(
                new ScaleSettings.Rule("http-rule", "http", Map.of("concurrentRequests", "30")),
                new ScaleSettings.Rule("queue-rule", "azure-queue", Map.of("queueName", "jobs", "queueLength", "20")),
                new ScaleSettings.Rule("kafka-rule", "kafka", Map.of("topic", "orders", "lagThreshold", "100"))));
        String oldRevision = app + "--old0001";
        List<RevisionInfo> revisions = List.of(
                new RevisionInfo(oldRevision, Instant.parse("2026-11-01T08:00:00Z"), false, 0, 0, "Stopped", "None"),
                new RevisionInfo(revision, Instant.parse("2026-11-20T07:12:00Z"), true, 100, 2, "Degraded", "Unhealthy"));
        String env = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/rg-env/providers/Microsoft.App/managedEnvironments/env-map";
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("team", "orders");
        tags.put("oncall", "shop-sre");
        AppConfig appConfig = new AppConfig(id, app, RESOURCE_GROUP, SUBSCRIPTION, revision, containers, scale,
                "eastus2", env, "0b0b0b0b-1111-2222-3333-444444444444", revisions,
                tags, "gp-d4", io.oomresponder.evidence.WorkloadProfile.of("gp-d4", "D4", 1, 5));
        List<Replica> replicas = List.of(
                new Replica(replicaA, revision, Instant.parse("2026-11-20T07:13:00Z"), "Running",
                        List.of(new Replica.Container("api", 4, false), new Replica.Container("sidecar", 0, true))),
                new Replica(replicaB, revision, Instant.parse("2026-11-20T07:14:00Z"), "NotRunning",
                        List.of(new Replica.Container("api", 0, true), new Replica.Container("sidecar", 1, true))));

        List<MetricSeries> metrics = new ArrayList<>();
        for (String pod : List.of(replicaA, replicaB)) {
            Map<String, String> dims = dims(revision, pod);
            metrics.add(series("WorkingSetBytes", "Maximum", "Bytes", dims, i -> i == 3 ? null : 1.0e9 + i * 1.0e7));
            metrics.add(series("WorkingSetBytes", "Average", "Bytes", dims, i -> i == 3 ? null : 0.9e9 + i * 1.0e7));
            metrics.add(series("RestartCount", "Total", "Count", dims, i -> i == 7 ? 1.0 : 0.0));
            metrics.add(series("Requests", "Total", "Count", dims, i -> i % 4 == 0 ? null : 100.0 + i));
            metrics.add(series("MemoryPercentage", "Maximum", "Percent", dims, i -> 60.5 + i));
            metrics.add(series("UsageNanoCores", "Average", "NanoCores", dims, i -> 2.5e8 + i));
        }
        Map<String, String> revOnly = new LinkedHashMap<>();
        revOnly.put("revisionName", revision);
        metrics.add(series("Replicas", "Maximum", "Count", revOnly, i -> 2.0));

        Instant restart = START.plusSeconds(10L * RESTART_AFTER_LINE + 1);
        List<SystemLogEvent> system = List.of(
                new SystemLogEvent(restart, revision, replicaA, "ContainerTerminated", "Warning",
                        "Container 'api' was terminated with exit code '137' and reason 'OOMKilled'"),
                new SystemLogEvent(restart.plusSeconds(20), revision, replicaA, "ContainerBackOff", "Warning", "Back-off restarting failed container"),
                new SystemLogEvent(restart.plusSeconds(20), revision, replicaA, "ContainerBackOff", "Warning", "Back-off restarting failed container"),
                new SystemLogEvent(restart.plusSeconds(20), revision, replicaA, "ContainerBackOff", "Warning", "Back-off restarting failed container"));
        List<ConsoleLine> console = new ArrayList<>();
        for (int i = 0; i < LINES_OF_A; i++) {
            console.add(new ConsoleLine(START.plusSeconds(10L * i), revision, replicaA, "api", "stdout", "line " + i + " | \"quoted\" \\ ok"));
        }
        for (int i = 0; i < 5; i++) {
            console.add(new ConsoleLine(START.plusSeconds(10L * i + 5), revision, replicaB, "api", "stderr", "b" + i));
        }
        console.sort(java.util.Comparator.comparing(ConsoleLine::time));
        AlertSignal alert = new AlertSignal("/subscriptions/" + SUBSCRIPTION + "/providers/Microsoft.AlertsManagement/alerts/a-" + app.hashCode(),
                app + "-restarts", AlertSignal.Signal.RestartCount, AlertSignal.Condition.Fired, FIRED_AT, null, id, null,
                "Sev2", 3.0, "2", null, Map.of(), null, null);
        EvidenceWindow window = new EvidenceWindow(START, START.plus(Duration.ofMinutes(20)), Duration.ofMinutes(1));
        return new EvidenceBundle(1, alert, window, appConfig, replicas, metrics, system, console, List.of());
    }

    static Map<String, String> dims(String revision, String pod) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("revisionName", revision);
        d.put("podName", pod);
        return d;
    }

    private static MetricSeries series(String name, String agg, String unit, Map<String, String> dims,
                                       java.util.function.IntFunction<Double> value) {
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            points.add(new MetricPoint(START.plus(Duration.ofMinutes(i)), value.apply(i)));
        }
        return new MetricSeries(name, agg, unit, dims, points);
    }
}
