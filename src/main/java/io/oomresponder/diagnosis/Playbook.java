package io.oomresponder.diagnosis;

import io.oomresponder.evidence.AppConfig;
import io.oomresponder.evidence.ContainerSpec;
import io.oomresponder.evidence.ProbeSpec;
import io.oomresponder.evidence.WorkloadProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The playbook's Resolution and Prevention, made concrete for one app: fix the leak first; more
 * memory only as mitigation (the next valid Consumption pair, exact {@code az} command); scale-out
 * with concrete replica bounds; probes; how to take a heap dump or profile in the runtime seen;
 * the alerts to add.
 */
final class Playbook {

    /** Headroom over the observed peak when sizing memory for peak demand. */
    static final double PEAK_HEADROOM_FACTOR = 1.3;

    private Playbook() {
    }

    static List<Recommendation> recommend(Diagnosis.Verdict verdict, List<Diagnosis.Cause> causes, AppConfig app, Long limitBytes,
                                          RuntimeKind runtime, Double peakToLimit, ScalePressure scale,
                                          OomProjection projection) {
        return recommend(verdict, causes, app, limitBytes, runtime, peakToLimit, scale, projection, false);
    }

    /** As above; {@code sizedTight}: memory sits flat near the limit without growing (early warning, no restart). */
    static List<Recommendation> recommend(Diagnosis.Verdict verdict, List<Diagnosis.Cause> causes, AppConfig app, Long limitBytes,
                                          RuntimeKind runtime, Double peakToLimit, ScalePressure scale,
                                          OomProjection projection, boolean sizedTight) {
        List<Recommendation> out = new ArrayList<>();
        String name = app.name();
        String rg = app.resourceGroup() == null ? "<resource-group>" : app.resourceGroup();
        ContainerSpec c = app.containers().isEmpty() ? null : app.containers().get(0);
        Long limit = limitBytes;
        double cpu = c == null || c.cpu() == null ? 0.25 : c.cpu();
        switch (verdict) {
            case LEAK_SUSPECTED -> {
                boolean buffer = !causes.isEmpty() && causes.get(0) == Diagnosis.Cause.UNBOUNDED_BUFFERING;
                out.add(new Recommendation(buffer ? "Bound the buffer or queue that keeps growing" : "Find and fix the leak first",
                        (buffer
                                ? "Memory grows with the work held in memory and never drains. Put a bound on in-memory queues, "
                                + "batches and caches (size or age), apply back-pressure, and stream large payloads instead of buffering them."
                                : "Memory resets at each restart and then grows again at a steady rate whatever the traffic: "
                                + "something retains objects (caches without eviction, listeners, static collections, unclosed resources). "
                                + "Compare two heap snapshots taken some time apart and fix the growing path.")
                                + (projection != null ? " At the observed rate the next OOM is expected "
                                + Narrative.range(projection) + "." : ""),
                        null));
                out.add(profiling(runtime, name, rg));
                out.add(memoryIncrease(app, name, rg, limit, cpu, limit == null ? 0 : limit * 1.0,
                        "Mitigation only, to buy time while the leak is fixed: more memory delays each OOM but does not stop it."));
                out.add(new Recommendation("Restart on a schedule until the fix ships",
                        "A restart resets the memory: a planned restart (e.g. a new revision or `az containerapp revision restart`) "
                                + "before the projected OOM avoids a crash under load.",
                        "az containerapp revision restart --name " + name + " --resource-group " + rg
                                + " --revision " + (app.latestRevision() == null ? "<revision>" : app.latestRevision())));
            }
            case PEAK_DEMAND -> {
                Diagnosis.Cause first = causes.isEmpty() ? Diagnosis.Cause.PEAK_DEMAND_OVER_LIMIT : causes.get(0);
                double needed = limit == null ? 0 : limit * Math.max(1.0, peakToLimit == null ? 1.0 : peakToLimit) * PEAK_HEADROOM_FACTOR;
                if (first == Diagnosis.Cause.TOO_FEW_REPLICAS) {
                    addIfAny(out, scaleOut(app, name, rg, scale, true));
                    out.add(memoryIncrease(app, name, rg, limit, cpu, needed, "If scaling out is not possible, give each replica room for its share of the peak."));
                } else if (first == Diagnosis.Cause.STARTUP_OR_BACKGROUND_JOB) {
                    out.add(new Recommendation("Make the start-up or scheduled job fit the limit",
                            "Memory peaks at start-up or when a scheduled job runs, not with traffic. Load data lazily or in "
                                    + "chunks, stream batch work, and move heavy periodic jobs to a Container Apps Job sized for them.",
                            null));
                    out.add(memoryIncrease(app, name, rg, limit, cpu, needed, "Give the peak room while the job is reworked."));
                    out.add(probes(app, name, rg));
                } else {
                    out.add(memoryIncrease(app, name, rg, limit, cpu, needed,
                            "Memory follows demand and the peak does not fit: size for the peak with headroom."));
                    addIfAny(out, scaleOut(app, name, rg, scale, false));
                    out.add(new Recommendation("Reduce the per-request memory footprint",
                            "Stream request and response bodies, cap upload and batch sizes, and bound concurrency per replica "
                                    + "(the http scale rule's concurrentRequests) so one replica never holds more than fits.",
                            null));
                }
            }
            case OTHER_CRASH_CAUSE -> {
                if (causes.contains(Diagnosis.Cause.NON_MEMORY_CRASH)) {
                    out.add(new Recommendation("Look at the exit reason, not at memory",
                            "Memory stayed well below the limit; read the console lines before each restart for the exception "
                                    + "or failed dependency, and the system log for exit codes and probe failures.",
                            "az containerapp logs show --name " + name + " --resource-group " + rg + " --type console --tail 200"));
                    out.add(probes(app, name, rg));
                } else if (sizedTight) {
                    double needed = limit == null ? 0 : limit * Math.max(1.0, peakToLimit == null ? 1.0 : peakToLimit) * PEAK_HEADROOM_FACTOR;
                    out.add(memoryIncrease(app, name, rg, limit, cpu, needed,
                            "Memory is flat near the limit without growing: the app is sized tight, and any burst or slow growth will be killed."));
                } else {
                    out.add(new Recommendation("No action on memory needed",
                            "No restarts and memory stayed below the limit in the window.", null));
                }
            }
            case INSUFFICIENT_EVIDENCE -> out.add(new Recommendation("Collect the missing evidence",
                    "Working-set metrics or the memory limit were not available; the evidence gaps give Azure's own error. "
                            + "On 403 AuthorizationFailed, grant the responder's identity Monitoring Reader (or Reader) on resource group "
                            + rg + ": it reads metrics per resource through ARM, so no subscription-wide role is needed. "
                            + "Then re-run the diagnosis, or look at the metrics in the portal.",
                    "az monitor metrics list --resource " + app.resourceId() + " --metric WorkingSetBytes --aggregation Maximum --interval PT1M"));
        }
        out.add(alerts(app, name, rg, verdict));
        return out;
    }

    private static Recommendation memoryIncrease(AppConfig app, String name, String rg, Long limit, double cpu, double neededBytes,
                                                 String why) {
        if (limit == null) {
            return new Recommendation("Raise the memory limit (mitigation)", why + " The current limit is unknown.", null);
        }
        WorkloadProfile profile = app.workloadProfile();
        if (profile != null && profile.dedicated()) {
            return dedicatedIncrease(app, name, rg, limit, neededBytes, why, profile);
        }
        ConsumptionSizes.Size next = ConsumptionSizes.nextAbove(limit, cpu, neededBytes);
        if (next == null) {
            return new Recommendation("Move to a workload profile with more memory (mitigation)",
                    why + " No Consumption-plan size (max 4 vCPU / 8Gi) is larger than the current limit; "
                            + "use a Dedicated workload profile (e.g. a memory-optimised E-series).", null);
        }
        if (app.containers().size() > 1) {
            // The pair is the replica's total; the main container gets the increase, the others keep theirs.
            long others = limit - (app.containers().get(0).limitBytes() == null ? 0 : app.containers().get(0).limitBytes());
            long mainBytes = (long) (next.memoryGib() * ConsumptionSizes.BYTES_PER_GIB) - others;
            double otherCpu = app.containers().stream().skip(1).mapToDouble(x -> x.cpu() == null ? 0 : x.cpu()).sum();
            return new Recommendation("Raise the replica's memory to " + next.memoryText() + " (mitigation)",
                    why + " Consumption-plan sizes come in fixed pairs for the replica's total; the next one up is "
                            + next.cpuText() + " vCPU / " + next.memoryText() + ", so the main container gets "
                            + ConsumptionSizes.gi(mainBytes) + " beside its other containers.",
                    "az containerapp update --name " + name + " --resource-group " + rg + " --container-name "
                            + app.containers().get(0).name() + " --cpu " + Math.max(0.25, next.cpu() - otherCpu) + " --memory "
                            + ConsumptionSizes.gi(mainBytes));
        }
        return new Recommendation("Raise the memory limit to " + next.memoryText() + " (mitigation)",
                why + " Consumption-plan sizes come in fixed pairs; the next one up is " + next.cpuText() + " vCPU / "
                        + next.memoryText() + ".",
                "az containerapp update --name " + name + " --resource-group " + rg + " --cpu " + next.cpuText()
                        + " --memory " + next.memoryText());
    }

    /**
     * On a Dedicated workload profile sizes are not the Consumption pairs: any memory up to what one
     * node of the profile has. The next size is the need rounded up to a whole half Gi.
     */
    private static Recommendation dedicatedIncrease(AppConfig app, String name, String rg, long limit, double neededBytes, String why,
                                                    WorkloadProfile profile) {
        long half = 512L << 20;
        long target = Math.max(limit + half, (long) Math.ceil(Math.max(neededBytes, limit) / half) * half);
        String profileText = "the Dedicated workload profile '" + profile.name() + "' (" + profile.type()
                + (profile.memory() == null ? "" : ", " + profile.memory() + " per node") + ")";
        if (profile.memoryBytes() != null && target > profile.memoryBytes()) {
            return new Recommendation("Move to a workload profile with more memory (mitigation)",
                    why + " The app runs on " + profileText + "; " + ConsumptionSizes.gi(target)
                            + " per replica does not fit one of its nodes: add a larger profile to the environment.", null);
        }
        // The replica's limit is the sum of its containers': the increase goes to the main container.
        long mainTarget = app.containers().isEmpty() || app.containers().get(0).limitBytes() == null ? target
                : app.containers().get(0).limitBytes() + (target - limit);
        return new Recommendation("Raise the memory limit to " + ConsumptionSizes.gi(target) + " per replica (mitigation)",
                why + " The app runs on " + profileText + ", so it is not bound to the Consumption CPU/memory pairs.",
                "az containerapp update --name " + name + " --resource-group " + rg + " --memory " + ConsumptionSizes.gi(mainTarget));
    }

    private static Recommendation scaleOut(AppConfig app, String name, String rg, ScalePressure scale, boolean pinned) {
        Integer min = app.scale() == null ? null : app.scale().minReplicas();
        Integer max = app.scale() == null ? null : app.scale().maxReplicas();
        int curMax = max == null ? 10 : max;
        int newMax = Math.max(curMax * 2, curMax + 2);
        int newMin = Math.max(min == null ? 1 : min, Math.max(2, (int) Math.ceil(curMax / 2.0)));
        if (!pinned) {
            newMin = Math.max(min == null ? 1 : min, 2);
            newMax = Math.max(curMax, newMin + 2);
        }
        String detail = pinned
                ? String.format(Locale.ROOT, "The app sat at maxReplicas=%d for %.0f%% of the window while each replica's load rose; "
                + "raise the ceiling so demand spreads, and keep a warm floor.", curMax,
                scale == null || Double.isNaN(scale.pinnedShare()) ? 100.0 : scale.pinnedShare() * 100)
                : "Spread the peak over more replicas, with a scale rule that reacts before memory fills "
                + "(lower concurrentRequests per replica).";
        if (min != null && max != null && newMin == min && newMax == max) {
            // The advice would leave the app as it is: say nothing rather than an empty change.
            return null;
        }
        return new Recommendation("Scale out: min " + newMin + ", max " + newMax + " replicas", detail,
                "az containerapp update --name " + name + " --resource-group " + rg + " --min-replicas " + newMin
                        + " --max-replicas " + newMax);
    }

    private static void addIfAny(List<Recommendation> out, Recommendation r) {
        if (r != null) {
            out.add(r);
        }
    }

    private static Recommendation probes(AppConfig app, String name, String rg) {
        List<ProbeSpec> probes = app.containers().isEmpty() ? List.of() : app.containers().get(0).probes();
        String have = probes.isEmpty() ? "No custom probes are configured (Container Apps adds default TCP probes with ingress)."
                : "Configured: " + String.join(", ", probes.stream().map(p -> p.type() + " " + (p.path() == null ? "" : p.path())
                + " every " + p.periodSeconds() + "s, " + p.failureThreshold() + " failures").toList()) + ".";
        return new Recommendation("Check the health probes",
                have + " A start-up probe with enough failureThreshold × periodSeconds for a slow start keeps the liveness "
                        + "probe from killing a replica that is still starting; a liveness probe should not depend on downstream services.",
                "az containerapp show --name " + name + " --resource-group " + rg + " --query properties.template.containers[0].probes");
    }

    private static Recommendation profiling(RuntimeKind runtime, String name, String rg) {
        String exec = "az containerapp exec --name " + name + " --resource-group " + rg + " --command ";
        return switch (runtime) {
            case JVM -> new Recommendation("Take a heap dump (JVM)",
                    "Set -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=/tmp (or a mounted volume) and -XX:MaxRAMPercentage=75 "
                            + "in JAVA_TOOL_OPTIONS; take a live histogram now and compare it after the memory has grown; analyse dumps with Eclipse MAT.",
                    exec + "\"jcmd 1 GC.class_histogram\"");
            case DOTNET -> new Recommendation("Take a memory dump (.NET)",
                    "Add dotnet-dump and dotnet-gcdump to the image; take a gcdump now and again after memory has grown, and compare "
                            + "them in Visual Studio or PerfView. DOTNET_GCHeapHardLimit keeps the GC inside the container limit.",
                    exec + "\"dotnet-gcdump collect -p 1 -o /tmp/app.gcdump\"");
            case NODE -> new Recommendation("Take heap snapshots (Node.js)",
                    "Start node with --heapsnapshot-near-heap-limit=2 and --max-old-space-size below the container limit; "
                            + "send SIGUSR2 with --heapsnapshot-signal=SIGUSR2 to write a snapshot now, and compare two in Chrome DevTools.",
                    exec + "\"kill -USR2 1\"");
            case PYTHON -> new Recommendation("Profile allocations (Python)",
                    "Run with tracemalloc (PYTHONTRACEMALLOC=25) and compare snapshots, or attach memray/py-spy to the worker; "
                            + "with gunicorn, max_requests recycles workers as a stopgap.",
                    exec + "\"py-spy dump --pid 1\"");
            case GO -> new Recommendation("Take a heap profile (Go)",
                    "Expose net/http/pprof and fetch /debug/pprof/heap twice, some time apart; compare with "
                            + "`go tool pprof -base`. GOMEMLIMIT below the container limit makes the GC work harder before an OOM.",
                    exec + "\"wget -qO /tmp/heap.pb.gz http://localhost:6060/debug/pprof/heap\"");
            case UNKNOWN -> new Recommendation("Profile the memory of the process",
                    "Capture a heap dump or allocation profile with the runtime's tools twice, some time apart, and compare "
                            + "which objects grow.", exec + "/bin/sh");
        };
    }

    private static Recommendation alerts(AppConfig app, String name, String rg, Diagnosis.Verdict verdict) {
        String scope = app.resourceId();
        return new Recommendation("Alert before the next OOM",
                "Add a metric alert on WorkingSetBytes (Maximum) above 80% of the limit per replica, so memory growth is seen "
                        + "before the kill, and keep the RestartCount alert" + (verdict == Diagnosis.Verdict.LEAK_SUSPECTED
                        ? "; a slow leak also shows as a steady daily rise of the minimum working set." : "."),
                "az monitor metrics alert create --name " + name + "-memory-80pct --resource-group " + rg + " --scopes " + scope
                        + " --condition \"max WorkingSetBytes > " + (app.memoryLimitBytes() == null ? "<80% of limit in bytes>"
                        : String.valueOf((long) (app.memoryLimitBytes() * 0.8))) + "\" --window-size 5m --evaluation-frequency 1m");
    }
}
