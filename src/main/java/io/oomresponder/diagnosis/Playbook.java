package io.oomresponder.diagnosis;

import io.oomresponder.evidence.AppConfig;
import io.oomresponder.evidence.ContainerSpec;
import io.oomresponder.evidence.EvidenceGap;
import io.oomresponder.evidence.ProbeSpec;
import io.oomresponder.evidence.WorkloadProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The playbook's Resolution and Prevention, made concrete for one app, in the order the person on
 * call needs them: first what can be done now (each {@link Recommendation.Kind#NOW} action says
 * what it buys, from the measured figures), then the fix for the owning team, then what to check
 * and what alert to add.
 *
 * <ul>
 * <li>A leak or an unbounded buffer: raise memory to buy time (the next Consumption pair that moves
 * the projected OOM {@link #LEAK_TIME_TO_BUY_HOURS} h past the last sample, at most
 * {@link #LEAK_MAX_RAISE_FACTOR}× the limit, with the time before and after at the measured growth)
 * and restart the leaking revision before its OOM; then the fix and how to profile. Never scale-out:
 * every replica leaks on its own.</li>
 * <li>Peak demand: scale-out only when {@link Diagnosis.Cause#TOO_FEW_REPLICAS} is the first cause
 * (memory follows each replica's load, the app sat at maxReplicas, so more replicas lower each
 * replica's share); never for start-up work or scheduled jobs, which every replica does on its own.</li>
 * <li>Crashes that are not memory kills: the exit reason first, no memory advice and no memory alert.</li>
 * <li>The alert advice adds a working-set alert beside the restart trigger oom-responder deploys (a
 * log search alert on terminations, docs/deploy.md), never a RestartCount metric alert.</li>
 * </ul>
 */
final class Playbook {

    /** Headroom over the observed peak when sizing memory for peak demand. */
    static final double PEAK_HEADROOM_FACTOR = 1.3;
    /**
     * A leak's memory raise aims to move the next OOM this far past the last sample: from a night
     * alert to the next working day, when the owning team can act.
     */
    static final double LEAK_TIME_TO_BUY_HOURS = 12;
    /** More memory only hides a leak for longer: the raise stays at most this factor of the current limit. */
    static final double LEAK_MAX_RAISE_FACTOR = 2;
    /** A scheduled restart comes after this share of the time a fresh replica takes to fill the limit. */
    static final double RESTART_BEFORE_FILL_SHARE = 0.8;

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
        return recommend(verdict, causes, app, limitBytes, runtime, peakToLimit, scale, projection, sizedTight, List.of());
    }

    /**
     * As above; {@code gaps}: what could not be gathered, so that a verdict without evidence names the
     * actual failure (a sign-in failure is not a missing role).
     */
    static List<Recommendation> recommend(Diagnosis.Verdict verdict, List<Diagnosis.Cause> causes, AppConfig app, Long limitBytes,
                                          RuntimeKind runtime, Double peakToLimit, ScalePressure scale,
                                          OomProjection projection, boolean sizedTight, List<EvidenceGap> gaps) {
        List<Recommendation> out = new ArrayList<>();
        String name = app.name();
        String rg = app.resourceGroup() == null ? "<resource-group>" : app.resourceGroup();
        ContainerSpec c = app.containers().isEmpty() ? null : app.containers().get(0);
        Long limit = limitBytes;
        double cpu = c == null || c.cpu() == null ? 0.25 : c.cpu();
        boolean alert = true;
        switch (verdict) {
            case LEAK_SUSPECTED -> {
                boolean buffer = !causes.isEmpty() && causes.get(0) == Diagnosis.Cause.UNBOUNDED_BUFFERING;
                out.add(leakMemoryIncrease(app, name, rg, limit, cpu, projection));
                out.add(scheduledRestart(app, name, rg, projection, buffer));
                out.add(new Recommendation(Recommendation.Kind.FIX,
                        buffer ? "Bound the buffer or queue that keeps growing" : "Find and fix the leak",
                        (buffer
                                ? "Memory grows with the work held in memory and never drains. Put a bound on in-memory queues, "
                                + "batches and caches (size or age), apply back-pressure, and stream large payloads instead of buffering them."
                                : "Memory resets at each restart and then grows again at a steady rate whatever the traffic: "
                                + "something retains objects (caches without eviction, listeners, static collections, unclosed resources). "
                                + "Compare two heap snapshots taken some time apart and fix the growing path.")
                                + " More memory and restarts only buy time until this ships.",
                        null));
                out.add(profiling(runtime, name, rg));
            }
            case PEAK_DEMAND -> {
                Diagnosis.Cause first = causes.isEmpty() ? Diagnosis.Cause.PEAK_DEMAND_OVER_LIMIT : causes.get(0);
                double needed = limit == null ? 0 : limit * Math.max(1.0, peakToLimit == null ? 1.0 : peakToLimit) * PEAK_HEADROOM_FACTOR;
                if (first == Diagnosis.Cause.TOO_FEW_REPLICAS) {
                    addIfAny(out, scaleOut(app, name, rg, scale));
                    out.add(memoryIncrease(app, name, rg, limit, cpu, needed, "If scaling out is not possible, give each replica room for its share of the peak."));
                } else if (first == Diagnosis.Cause.STARTUP_OR_BACKGROUND_JOB) {
                    out.add(memoryIncrease(app, name, rg, limit, cpu, needed, "Give the start-up or job peak room while it is reworked; "
                            + "more replicas would not help, since every replica does this work on its own."));
                    out.add(new Recommendation(Recommendation.Kind.FIX, "Make the start-up or scheduled job fit the limit",
                            "Memory peaks at start-up or when a scheduled job runs, not with traffic. Load data lazily or in "
                                    + "chunks, stream batch work, and move heavy periodic jobs to a Container Apps Job sized for them.",
                            null));
                    out.add(probes(app, name, rg));
                } else {
                    out.add(memoryIncrease(app, name, rg, limit, cpu, needed,
                            "Memory follows demand and the peak does not fit: size for the peak with headroom."));
                    out.add(new Recommendation(Recommendation.Kind.FIX, "Reduce the per-request memory footprint",
                            "Stream request and response bodies, cap upload and batch sizes, and bound concurrency per replica "
                                    + "(the http scale rule's concurrentRequests) so one replica never holds more than fits.",
                            null));
                }
            }
            case OTHER_CRASH_CAUSE -> {
                if (causes.contains(Diagnosis.Cause.NON_MEMORY_CRASH)) {
                    // Not a memory kill: nothing about memory, and no memory alert.
                    alert = false;
                    out.add(new Recommendation(Recommendation.Kind.NOW, "Look at the exit reason, not at memory",
                            "Memory stayed well below the limit; read the console lines before each restart for the exception "
                                    + "or failed dependency, and the system log for exit codes and probe failures.",
                            "az containerapp logs show --name " + name + " --resource-group " + rg + " --type console --tail 200"));
                    out.add(probes(app, name, rg));
                } else if (sizedTight) {
                    double needed = limit == null ? 0 : limit * Math.max(1.0, peakToLimit == null ? 1.0 : peakToLimit) * PEAK_HEADROOM_FACTOR;
                    out.add(memoryIncrease(app, name, rg, limit, cpu, needed,
                            "Memory is flat near the limit without growing: the app is sized tight, and any burst or slow growth will be killed."));
                } else {
                    alert = false;
                    out.add(new Recommendation(Recommendation.Kind.CHECK, "No action on memory needed",
                            "No restarts and memory stayed below the limit in the window.", null));
                }
            }
            case INSUFFICIENT_EVIDENCE -> {
                alert = false;
                out.add(missingEvidence(app, rg, gaps));
            }
        }
        if (alert) {
            out.add(alerts(app, name, rg, verdict));
        }
        return out;
    }

    /**
     * The first action when the evidence is missing: it names what failed. A sign-in failure asks
     * for a sign-in; a 403 for the role; anything else for the source's own error.
     */
    private static Recommendation missingEvidence(AppConfig app, String rg, List<EvidenceGap> gaps) {
        String check = "az monitor metrics list --resource " + app.resourceId() + " --metric WorkingSetBytes --aggregation Maximum --interval PT1M";
        List<String> signIn = gaps.stream().filter(g -> g.detail() != null && g.detail().contains(EvidenceGap.SIGN_IN_FAILED))
                .map(EvidenceGap::source).toList();
        if (!signIn.isEmpty()) {
            // The gaps carry the credential's own message; the action names the failure and the sources it cost.
            return new Recommendation(Recommendation.Kind.NOW, "Sign the responder in to Azure",
                    "The responder could not sign in to Azure, so " + String.join(", ", signIn) + " could not be read (the evidence gaps "
                            + "give the credential's message). Sign in (`az login`), or give it a managed identity or AZURE_CLIENT_ID, "
                            + "then re-run the diagnosis.",
                    "az login");
        }
        EvidenceGap denied = gaps.stream().filter(g -> "AuthorizationFailed".equals(g.code())
                || g.detail() != null && g.detail().contains("403")).findFirst().orElse(null);
        if (denied != null) {
            return new Recommendation(Recommendation.Kind.NOW, "Grant the responder read access to the app's resource group",
                    "Azure refused a read (" + denied.source() + ": 403 AuthorizationFailed). Grant the responder's identity "
                            + "Monitoring Reader (or Reader) on resource group " + rg + ": it reads metrics per resource through ARM, "
                            + "so no subscription-wide role is needed. Then re-run the diagnosis.",
                    "az role assignment create --assignee <responder-principal-id> --role \"Monitoring Reader\" --scope "
                            + (app.resourceId() == null ? "<resource-group-id>" : resourceGroupScope(app.resourceId())));
        }
        if (gaps.isEmpty()) {
            // Called without the gaps: the general advice, naming both usual failures.
            return new Recommendation(Recommendation.Kind.NOW, "Collect the missing evidence",
                    "Working-set metrics or the memory limit were not available; the evidence gaps give Azure's own error. "
                            + "On 403 AuthorizationFailed, grant the responder's identity Monitoring Reader (or Reader) on resource group "
                            + rg + ": it reads metrics per resource through ARM, so no subscription-wide role is needed. "
                            + "If it could not sign in, sign it in (`az login` or AZURE_CLIENT_ID). Then re-run the diagnosis.", check);
        }
        return new Recommendation(Recommendation.Kind.NOW, "Collect the missing evidence",
                "These sources failed: " + String.join("; ", gaps.stream().map(g -> g.source() + " (" + (g.code() == null ? "no error code" : g.code()) + ")").toList())
                        + ". Re-run the diagnosis once they answer, or look at the metrics in the portal.", check);
    }

    private static String resourceGroupScope(String resourceId) {
        int i = resourceId.toLowerCase(Locale.ROOT).indexOf("/providers/");
        return i > 0 ? resourceId.substring(0, i) : resourceId;
    }

    /**
     * A leak's raise of memory: what it buys at the measured growth, from the projection. The target
     * is the smallest size moving the expected OOM {@link #LEAK_TIME_TO_BUY_HOURS} h past the last
     * sample, capped at {@link #LEAK_MAX_RAISE_FACTOR}× the limit, and at least the next size up.
     */
    private static Recommendation leakMemoryIncrease(AppConfig app, String name, String rg, Long limit, double cpu, OomProjection p) {
        if (limit == null) {
            return memoryIncrease(app, name, rg, null, cpu, 0, "Buys time while the leak is fixed: more memory delays each OOM but does not stop it.");
        }
        boolean measured = p != null && p.slopeBytesPerMinute() > 0;
        double needed = limit;
        if (measured) {
            double level = limit - p.minutesToExpected() * p.slopeBytesPerMinute();
            needed = Math.min(limit * LEAK_MAX_RAISE_FACTOR, Math.max(limit, level + LEAK_TIME_TO_BUY_HOURS * 60 * p.slopeBytesPerMinute()));
        }
        String why = "Buys time while the leak is fixed: more memory delays each OOM but does not stop it.";
        Raise raise = memoryRaise(app, name, rg, limit, cpu, needed, why);
        Recommendation r = raise.advice();
        Long target = raise.toBytes();
        if (!measured) {
            return new Recommendation(r.kind(), r.title(), r.detail() + " The growth could not be projected, so how much time this buys is not known.", r.command());
        }
        // What it buys comes first: that is what the person on call weighs.
        String effect = "At the measured growth (about " + Narrative.mib(p.slopeBytesPerMinute() * 60) + "/h) the next OOM is "
                + Narrative.about(p.minutesToExpected()) + " after the last sample"
                + (target == null ? ". " : "; with " + ConsumptionSizes.gi(target) + " it moves to "
                + Narrative.about(p.minutesToExpected() + (target - limit) / p.slopeBytesPerMinute()) + ". ");
        return new Recommendation(r.kind(), r.title(), effect + r.detail(), r.command());
    }

    /** Restart the leaking revision before its OOM: a restart resets the memory the leak holds. */
    private static Recommendation scheduledRestart(AppConfig app, String name, String rg, OomProjection p, boolean buffer) {
        String revision = app.latestRevision() == null ? "<revision>" : app.latestRevision();
        String when;
        if (p != null && p.slopeBytesPerMinute() > 0 && !Double.isNaN(p.fillMinutes()) && p.fillMinutes() > 0) {
            when = "Restart before the projected OOM (" + Narrative.range(p) + "). A fresh replica takes " + Narrative.about(p.fillMinutes())
                    + " to fill the limit at the measured growth, so restart again at most "
                    + Narrative.about(p.fillMinutes() * RESTART_BEFORE_FILL_SHARE).replace("about ", "")
                    + " after each restart (for example from a scheduled Container Apps job running this command) until the fix ships.";
        } else {
            when = "The growth could not be projected: restart when the working set nears the limit, until the fix ships.";
        }
        return new Recommendation(Recommendation.Kind.NOW, "Restart the leaking revision before it is killed",
                when + " A planned restart resets the memory and avoids a kill under load."
                        + (buffer ? " Work held only in memory is lost at a restart; queue messages not yet settled are delivered again." : ""),
                "az containerapp revision restart --name " + name + " --resource-group " + rg + " --revision " + revision);
    }

    /** A memory recommendation and the replica total it raises to (null when it names no size). */
    private record Raise(Recommendation advice, Long toBytes) {
    }

    private static Recommendation memoryIncrease(AppConfig app, String name, String rg, Long limit, double cpu, double neededBytes,
                                                 String why) {
        return memoryRaise(app, name, rg, limit, cpu, neededBytes, why).advice();
    }

    private static Raise memoryRaise(AppConfig app, String name, String rg, Long limit, double cpu, double neededBytes, String why) {
        if (limit == null) {
            return new Raise(new Recommendation(Recommendation.Kind.NOW, "Raise the memory limit (mitigation)", why + " The current limit is unknown.", null), null);
        }
        WorkloadProfile profile = app.workloadProfile();
        if (profile != null && profile.dedicated()) {
            return dedicatedIncrease(app, name, rg, limit, neededBytes, why, profile);
        }
        ConsumptionSizes.Size next = ConsumptionSizes.nextAbove(limit, cpu, neededBytes);
        if (next == null) {
            return new Raise(new Recommendation(Recommendation.Kind.NOW, "Move to a workload profile with more memory (mitigation)",
                    why + " No Consumption-plan size (max 4 vCPU / 8Gi) is larger than the current limit; "
                            + "use a Dedicated workload profile (e.g. a memory-optimised E-series).", null), null);
        }
        long nextBytes = (long) (next.memoryGib() * ConsumptionSizes.BYTES_PER_GIB);
        if (app.containers().size() > 1) {
            // The pair is the replica's total; the main container gets the increase, the others keep theirs.
            long others = limit - (app.containers().get(0).limitBytes() == null ? 0 : app.containers().get(0).limitBytes());
            long mainBytes = (long) (next.memoryGib() * ConsumptionSizes.BYTES_PER_GIB) - others;
            double otherCpu = app.containers().stream().skip(1).mapToDouble(x -> x.cpu() == null ? 0 : x.cpu()).sum();
            return new Raise(new Recommendation(Recommendation.Kind.NOW, "Raise the replica's memory to " + next.memoryText() + " (mitigation)",
                    why + " Consumption-plan sizes come in fixed pairs for the replica's total; the next one up is "
                            + next.cpuText() + " vCPU / " + next.memoryText() + ", so the main container gets "
                            + ConsumptionSizes.gi(mainBytes) + " beside its other containers.",
                    "az containerapp update --name " + name + " --resource-group " + rg + " --container-name "
                            + app.containers().get(0).name() + " --cpu " + Math.max(0.25, next.cpu() - otherCpu) + " --memory "
                            + ConsumptionSizes.gi(mainBytes)), nextBytes);
        }
        return new Raise(new Recommendation(Recommendation.Kind.NOW, "Raise the memory limit to " + next.memoryText() + " (mitigation)",
                why + " Consumption-plan sizes come in fixed pairs; the next one up is " + next.cpuText() + " vCPU / "
                        + next.memoryText() + ".",
                "az containerapp update --name " + name + " --resource-group " + rg + " --cpu " + next.cpuText()
                        + " --memory " + next.memoryText()), nextBytes);
    }

    /**
     * On a Dedicated workload profile sizes are not the Consumption pairs: any memory up to what one
     * node of the profile has. The next size is the need rounded up to a whole half Gi.
     */
    private static Raise dedicatedIncrease(AppConfig app, String name, String rg, long limit, double neededBytes, String why,
                                                    WorkloadProfile profile) {
        long half = 512L << 20;
        long target = Math.max(limit + half, (long) Math.ceil(Math.max(neededBytes, limit) / half) * half);
        String profileText = "the Dedicated workload profile '" + profile.name() + "' (" + profile.type()
                + (profile.memory() == null ? "" : ", " + profile.memory() + " per node") + ")";
        if (profile.memoryBytes() != null && target > profile.memoryBytes()) {
            return new Raise(new Recommendation(Recommendation.Kind.NOW, "Move to a workload profile with more memory (mitigation)",
                    why + " The app runs on " + profileText + "; " + ConsumptionSizes.gi(target)
                            + " per replica does not fit one of its nodes: add a larger profile to the environment.", null), null);
        }
        // The replica's limit is the sum of its containers': the increase goes to the main container.
        long mainTarget = app.containers().isEmpty() || app.containers().get(0).limitBytes() == null ? target
                : app.containers().get(0).limitBytes() + (target - limit);
        return new Raise(new Recommendation(Recommendation.Kind.NOW, "Raise the memory limit to " + ConsumptionSizes.gi(target) + " per replica (mitigation)",
                why + " The app runs on " + profileText + ", so it is not bound to the Consumption CPU/memory pairs.",
                "az containerapp update --name " + name + " --resource-group " + rg + " --memory " + ConsumptionSizes.gi(mainTarget)), target);
    }

    /**
     * Scale-out, only for {@link Diagnosis.Cause#TOO_FEW_REPLICAS}: the app sat at maxReplicas while
     * each replica's load drove its memory, so a higher ceiling spreads the load and lowers each
     * replica's share. Null when the advice would leave the app as it is.
     */
    private static Recommendation scaleOut(AppConfig app, String name, String rg, ScalePressure scale) {
        Integer min = app.scale() == null ? null : app.scale().minReplicas();
        Integer max = app.scale() == null ? null : app.scale().maxReplicas();
        int curMax = max == null ? 10 : max;
        int newMax = Math.max(curMax * 2, curMax + 2);
        int newMin = Math.max(min == null ? 1 : min, Math.max(2, (int) Math.ceil(curMax / 2.0)));
        String detail = String.format(Locale.ROOT, "The app sat at maxReplicas=%d for %.0f%% of the window while each replica's load "
                        + "drove its memory; raise the ceiling so the load spreads and each replica's share falls, and keep a warm floor.", curMax,
                scale == null || Double.isNaN(scale.pinnedShare()) ? 100.0 : scale.pinnedShare() * 100);
        if (min != null && max != null && newMin == min && newMax == max) {
            return null;
        }
        return new Recommendation(Recommendation.Kind.NOW, "Scale out: min " + newMin + ", max " + newMax + " replicas", detail,
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
        return new Recommendation(Recommendation.Kind.CHECK, "Check the health probes",
                have + " A start-up probe with enough failureThreshold × periodSeconds for a slow start keeps the liveness "
                        + "probe from killing a replica that is still starting; a liveness probe should not depend on downstream services.",
                "az containerapp show --name " + name + " --resource-group " + rg + " --query properties.template.containers[0].probes");
    }

    private static Recommendation profiling(RuntimeKind runtime, String name, String rg) {
        String exec = "az containerapp exec --name " + name + " --resource-group " + rg + " --command ";
        return switch (runtime) {
            case JVM -> new Recommendation(Recommendation.Kind.FIX, "Take a heap dump (JVM)",
                    "Set -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=/tmp (or a mounted volume) and -XX:MaxRAMPercentage=75 "
                            + "in JAVA_TOOL_OPTIONS; take a live histogram now and compare it after the memory has grown; analyse dumps with Eclipse MAT.",
                    exec + "\"jcmd 1 GC.class_histogram\"");
            case DOTNET -> new Recommendation(Recommendation.Kind.FIX, "Take a memory dump (.NET)",
                    "Add dotnet-dump and dotnet-gcdump to the image; take a gcdump now and again after memory has grown, and compare "
                            + "them in Visual Studio or PerfView. DOTNET_GCHeapHardLimit keeps the GC inside the container limit.",
                    exec + "\"dotnet-gcdump collect -p 1 -o /tmp/app.gcdump\"");
            case NODE -> new Recommendation(Recommendation.Kind.FIX, "Take heap snapshots (Node.js)",
                    "Start node with --heapsnapshot-near-heap-limit=2 and --max-old-space-size below the container limit; "
                            + "send SIGUSR2 with --heapsnapshot-signal=SIGUSR2 to write a snapshot now, and compare two in Chrome DevTools.",
                    exec + "\"kill -USR2 1\"");
            case PYTHON -> new Recommendation(Recommendation.Kind.FIX, "Profile allocations (Python)",
                    "Run with tracemalloc (PYTHONTRACEMALLOC=25) and compare snapshots, or attach memray/py-spy to the worker; "
                            + "with gunicorn, max_requests recycles workers as a stopgap.",
                    exec + "\"py-spy dump --pid 1\"");
            case GO -> new Recommendation(Recommendation.Kind.FIX, "Take a heap profile (Go)",
                    "Expose net/http/pprof and fetch /debug/pprof/heap twice, some time apart; compare with "
                            + "`go tool pprof -base`. GOMEMLIMIT below the container limit makes the GC work harder before an OOM.",
                    exec + "\"wget -qO /tmp/heap.pb.gz http://localhost:6060/debug/pprof/heap\"");
            case UNKNOWN -> new Recommendation(Recommendation.Kind.FIX, "Profile the memory of the process",
                    "Capture a heap dump or allocation profile with the runtime's tools twice, some time apart, and compare "
                            + "which objects grow.", exec + "/bin/sh");
        };
    }

    /**
     * A working-set alert, so memory is seen before the kill. The restart trigger stays the log
     * search alert on terminations that oom-responder deploys (docs/deploy.md explains why not a
     * RestartCount metric alert: it counts since the replica was created and stays fired).
     */
    private static Recommendation alerts(AppConfig app, String name, String rg, Diagnosis.Verdict verdict) {
        String scope = app.resourceId();
        return new Recommendation(Recommendation.Kind.PREVENT, "Alert before the next OOM",
                "Add a metric alert on WorkingSetBytes (Maximum) above 80% of the limit per replica, so memory growth is seen "
                        + "before the kill; the restart trigger deployed with oom-responder (a log search alert on terminations) stays as it is"
                        + (verdict == Diagnosis.Verdict.LEAK_SUSPECTED
                        ? ". A slow leak also shows as a steady daily rise of the minimum working set." : "."),
                "az monitor metrics alert create --name " + name + "-memory-80pct --resource-group " + rg + " --scopes " + scope
                        + " --condition \"max WorkingSetBytes > " + (app.memoryLimitBytes() == null ? "<80% of limit in bytes>"
                        : String.valueOf((long) (app.memoryLimitBytes() * 0.8))) + "\" --window-size 5m --evaluation-frequency 1m");
    }
}
