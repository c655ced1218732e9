package io.oomresponder.diagnosis;

import io.oomresponder.evidence.AppConfig;
import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.ContainerSpec;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceGap;
import io.oomresponder.evidence.EvidenceWindow;
import io.oomresponder.evidence.MetricPoint;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.evidence.Replica;
import io.oomresponder.evidence.ScaleSettings;
import io.oomresponder.evidence.SystemLogEvent;
import io.oomresponder.intake.AlertSignal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small synthetic incidents for the diagnosis tests, independent of the simulator: a memory model
 * per replica (a function of minute, minutes since start and traffic), OOM kills when it reaches
 * the limit, and the metrics/logs a bundle would carry. Seeded, so every test is repeatable.
 */
final class SyntheticIncident {

    static final long GIB = 1L << 30;
    static final Instant START = Instant.parse("2026-10-12T00:00:00Z");

    /** Memory in bytes of replica r at minute t, age minutes after its last start, with traffic q. */
    interface MemoryModel {
        double bytes(int replica, int minute, int age, double traffic);
    }

    /** Requests per minute of replica r at minute t. */
    interface TrafficModel {
        double requests(int replica, int minute);
    }

    int replicas = 3;
    int minutes = 360;
    int grainMinutes = 1;
    long limitBytes = GIB;
    double cpu = 0.5;
    int maxReplicas = 10;
    long seed = 1;
    double noiseShare = 0.01;
    boolean oomLogs = true;
    boolean requests = true;
    boolean maximum = true;
    /** RestartCount as Azure emits it: a running counter per replica (restarts since creation); false: per-bucket counts. */
    boolean cumulativeRestartCount = true;
    /** Restarts each replica had before the window (the counter's starting value). */
    int restartsBefore = 2;
    double nullShare = 0;
    String exitLog;
    TrafficModel traffic = (r, t) -> 300;
    MemoryModel memory = (r, t, age, q) -> 0.4 * GIB;
    /** A crash (non-memory) every this many minutes of age, 0 for none. */
    int crashEveryMinutes = 0;
    String image = "acr.azurecr.io/shop-api:1.2.3";
    List<ConsoleLine> consoleLines = new ArrayList<>();

    static SyntheticIncident of() {
        return new SyntheticIncident();
    }

    EvidenceBundle bundle() {
        Random rnd = new Random(seed);
        String app = "shop-api";
        String rev = app + "--abc123";
        List<MetricSeries> metrics = new ArrayList<>();
        List<SystemLogEvent> logs = new ArrayList<>();
        List<ConsoleLine> console = new ArrayList<>(consoleLines);
        List<Replica> reps = new ArrayList<>();
        int points = minutes / grainMinutes;
        for (int r = 0; r < replicas; r++) {
            String pod = rev + "-pod" + r;
            List<MetricPoint> ws = new ArrayList<>();
            List<MetricPoint> rc = new ArrayList<>();
            List<MetricPoint> rq = new ArrayList<>();
            int age = 240 + 37 * r;
            int restarts = 0;
            int counter = restartsBefore;
            double bucketMax = 0;
            double bucketReq = 0;
            int bucketRestarts = 0;
            for (int t = 0; t < minutes; t++) {
                double q = traffic.requests(r, t) * (1 + 0.05 * rnd.nextGaussian());
                double m = memory.bytes(r, t, age, q) * (1 + noiseShare * rnd.nextGaussian());
                boolean oom = m >= limitBytes;
                boolean crash = crashEveryMinutes > 0 && age > 0 && age % crashEveryMinutes == 0;
                bucketMax = Math.max(bucketMax, Math.min(m, limitBytes * 0.999));
                bucketReq += q;
                Instant at = START.plus(Duration.ofMinutes(t)).plusSeconds(20);
                if (oom || crash) {
                    restarts++;
                    bucketRestarts++;
                    if (oom && oomLogs) {
                        logs.add(new SystemLogEvent(at, rev, pod, "ContainerTerminated", "Warning",
                                "Container 'app' was terminated with exit code '137' and reason 'OOMKilled'"));
                    } else if (crash && exitLog != null) {
                        logs.add(new SystemLogEvent(at, rev, pod, "ContainerTerminated", "Warning", exitLog));
                    }
                    age = 0;
                } else {
                    age++;
                }
                if ((t + 1) % grainMinutes == 0) {
                    Instant b = START.plus(Duration.ofMinutes(t + 1 - grainMinutes));
                    boolean missing = nullShare > 0 && rnd.nextDouble() < nullShare;
                    ws.add(new MetricPoint(b, missing ? null : Math.rint(bucketMax)));
                    counter += bucketRestarts;
                    rc.add(new MetricPoint(b, (double) (cumulativeRestartCount ? counter : bucketRestarts)));
                    rq.add(new MetricPoint(b, missing ? null : Math.rint(bucketReq)));
                    bucketMax = 0;
                    bucketReq = 0;
                    bucketRestarts = 0;
                }
            }
            Map<String, String> dims = Map.of("revisionName", rev, "podName", pod);
            metrics.add(new MetricSeries("WorkingSetBytes", maximum ? "Maximum" : "Average", "Bytes", dims, ws));
            metrics.add(new MetricSeries("RestartCount", cumulativeRestartCount ? "Maximum" : "Total", "Count", dims, rc));
            if (requests) {
                metrics.add(new MetricSeries("Requests", "Total", "Count", dims, rq));
            }
            reps.add(new Replica(pod, rev, START.minus(Duration.ofDays(1)), "Running",
                    List.of(new Replica.Container("app", restartsBefore + restarts, true))));
        }
        List<MetricPoint> rcount = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            rcount.add(new MetricPoint(START.plus(Duration.ofMinutes((long) i * grainMinutes)), (double) replicas));
        }
        metrics.add(new MetricSeries("Replicas", "Maximum", "Count", Map.of("revisionName", rev), rcount));
        String id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-shop/providers/Microsoft.App/containerApps/" + app;
        AppConfig cfg = new AppConfig(id, app, "rg-shop", "00000000-0000-0000-0000-000000000001", rev,
                List.of(new ContainerSpec("app", image, cpu, (limitBytes / (double) GIB) + "Gi", limitBytes, List.of())),
                new ScaleSettings(1, maxReplicas, List.of(new ScaleSettings.Rule("http", "http", Map.of("concurrentRequests", "50")))),
                "eastus2", null, null, List.of());
        AlertSignal alert = alert(id, START.plus(Duration.ofMinutes(minutes - 10)));
        return new EvidenceBundle(1, alert, new EvidenceWindow(START, START.plus(Duration.ofMinutes(minutes)),
                Duration.ofMinutes(grainMinutes)), cfg, reps, metrics, logs, console, List.<EvidenceGap>of());
    }

    static AlertSignal alert(String targetId, Instant firedAt) {
        return io.oomresponder.json.Json.mapper().convertValue(Map.of(
                "id", "/subscriptions/x/providers/Microsoft.AlertsManagement/alerts/1",
                "rule", "restarts", "signal", "RestartCount", "condition", "Fired",
                "firedAt", firedAt.toString(), "targetResourceId", targetId), AlertSignal.class);
    }
}
