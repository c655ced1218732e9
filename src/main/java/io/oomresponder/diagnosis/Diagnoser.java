package io.oomresponder.diagnosis;

import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.RevisionInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The memory playbook's flowchart as code: A a replica restarts or is OOM-killed → B memory limit
 * and working set → C does memory grow toward the limit? (no → D other crash cause) → E growth
 * compared with traffic and time → F does memory reset after a restart and grow again? (yes → G
 * leak or unbounded buffer → I profile; no → H peak demand → J raise memory, scale out, reduce
 * footprint). Pure: the bundle is the only input; no I/O, clock, randomness or logging.
 *
 * <h2>Decisions</h2>
 * <ul>
 * <li>B: without working-set samples or a memory limit the verdict is INSUFFICIENT_EVIDENCE.</li>
 * <li>C: yes when a restart has OOM evidence (OOMKilled log, exit 137 at the limit, or a silent
 * restart with the working set ≥ 90% of the limit), when memory peaked ≥ 90% of the limit, or when
 * a segment grows toward the limit ({@link GrowthPattern}).</li>
 * <li>F: yes when at least one segment grows with time rather than with traffic, no more segments
 * grow with traffic than with time, and memory reset after a restart and grew again; without a
 * regrowth, several segments growing with time count only while memory does not follow traffic
 * (ρ &lt; {@link #FOLLOWS_TRAFFIC_RHO}): a restart that refills memory at once to the traffic's
 * level is demand.</li>
 * <li>No restart in the window (an early warning): a young leak (leak-like growth), a daily peak
 * (memory follows traffic and its crest reaches {@link #EARLY_NEAR_LIMIT}; next crest projected by
 * {@link DailyPeaks}) or an app sized tight (median level ≥ {@link #SIZED_TIGHT_LEVEL}, no growth:
 * OTHER_CRASH_CAUSE without a cause, advice to raise memory).</li>
 * </ul>
 *
 * <h2>Confidence</h2>
 * The geometric mean of the strengths (each 0..1) of the statistics that decided the verdict,
 * clamped to 0.05..0.99:
 * <ul>
 * <li>LEAK_SUSPECTED: significance of the growth, 1 − p of the median Mann–Kendall Z of the
 * leak-like segments; share of growing segments that grow with time, not traffic; regrowth
 * seen after a restart (1, else 0.6); memory kills corroborating (1, else 0.7).</li>
 * <li>PEAK_DEMAND: how close the peak came to the limit, (peak/limit − 0.8)/0.2; share of growing
 * segments not leak-like; and the strength of the deciding cause: the traffic correlation
 * (0.5 + ρ/2), the share of start-up kills, the regularity of periodic spikes (1 − CV), or the
 * share of time pinned at maxReplicas.</li>
 * <li>OTHER_CRASH_CAUSE: headroom, (0.9 − peak/limit)/0.4; and the share of restarts with a
 * non-OOM exit in the logs ((1 + share)/2; 1 without restarts).</li>
 * <li>INSUFFICIENT_EVIDENCE: 0: there is no verdict on memory to be confident in.</li>
 * </ul>
 */
public final class Diagnoser {

    /** Fewer working-set samples than this cannot show a trend or a peak. */
    static final int MIN_WORKING_SET_SAMPLES = 10;
    /**
     * "Near the limit" for the app's peak working set and the time-above figure (step B and C). Not
     * {@link GrowthPattern#SEGMENT_END_NEAR_LIMIT_FRACTION}, which judges where one growing segment ends.
     */
    static final double PEAK_NEAR_LIMIT_FRACTION = 0.90;
    /** With no restart at all, memory must stay above 90% of the limit this long to count as near it. */
    static final int SUSTAINED_NEAR_LIMIT_MINUTES = 15;
    /** Memory whose median rank correlation with requests reaches this follows traffic. */
    static final double FOLLOWS_TRAFFIC_RHO = 0.5;
    /** Memory growing while served requests fall, at least this strongly (negative rank correlation), is a backlog signal. */
    static final double BACKLOG_RHO = 0.5;
    /** Console lines about a backlog that make one buffering signal. */
    static final int BACKLOG_LINES = 1;
    /** Growth reaching less than this share of its rise halfway through a segment speeds up: a buffering signal. */
    static final double ACCELERATING_HALFWAY_SHARE = 0.42;
    /** KEDA scaler types that read a queue or stream. */
    static final List<String> QUEUE_SCALERS = List.of("servicebus", "queue", "kafka", "eventhub", "rabbitmq", "redis-streams", "nats");
    /** Buffering signals (of four) needed to rank UNBOUNDED_BUFFERING first. */
    static final int BUFFER_SIGNALS_NEEDED = 2;
    /** Without restarts, memory whose crest reaches this share of the limit is near it (early warning). */
    static final double EARLY_NEAR_LIMIT = 0.80;
    /** Without restarts or growth, a median level at or above this share of the limit is an app sized tight. */
    static final double SIZED_TIGHT_LEVEL = 0.80;
    /** A revision created this long before the first memory kill is a regression suspect. */
    static final Duration REGRESSION_LOOKBACK = Duration.ofHours(24);

    /** Diagnoses one bundle. */
    public Diagnosis diagnose(EvidenceBundle bundle) {
        Objects.requireNonNull(bundle, "bundle");
        List<String> path = new ArrayList<>();
        List<DecisionStep> steps = new ArrayList<>();
        ReplicaLimit replicaLimit = ReplicaLimit.of(bundle);
        Long limit = replicaLimit.bytes();
        AppTimelines app = AppTimelines.from(bundle, limit);
        RestartEvents.Result restarts = RestartEvents.merge(app, bundle.systemLogs(), bundle.consoleLogs(), limit);
        List<RestartEvent> all = restarts.all();
        List<String> findings = new ArrayList<>(SourceDisagreement.findings(bundle, app, restarts));
        RuntimeKind runtime = RuntimeKind.of(bundle);

        int oomKills = count(all, RestartEvent.Kind.OOM_KILLED) + restarts.unattributedOomLogs();
        int atLimit = count(all, RestartEvent.Kind.MEMORY_AT_LIMIT);
        int nonOom = count(all, RestartEvent.Kind.NON_OOM_EXIT);
        int unexplained = count(all, RestartEvent.Kind.UNEXPLAINED);
        int armRestarts = app.replicas().stream().mapToInt(r -> r.armRestartCount() == null ? 0 : r.armRestartCount()).sum();
        int replicasSeen = (int) app.replicas().stream().filter(r -> r.workingSetSamples() > 0).count();
        Integer maxReplicas = bundle.app().scale() == null ? null : bundle.app().scale().maxReplicas();

        path.add("A");
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("restartsInWindow", all.size());
        a.put("oomKilledByLog", oomKills);
        a.put("atLimitWithoutLog", atLimit);
        a.put("otherExits", nonOom);
        a.put("unexplained", unexplained);
        a.put("armRestartCountSinceCreation", armRestarts);
        a.put("killedContainer", replicaLimit.mostKilled());
        steps.add(new DecisionStep("A", "Did a replica restart or get OOM-killed in the window?",
                all.isEmpty() ? "No restart in the window (ARM counts " + armRestarts + " since the replicas were created)."
                        : "Yes: " + all.size() + " restart(s) across " + restarts.byReplica().values().stream().filter(l -> !l.isEmpty()).count()
                        + " replica(s): " + oomKills + " OOM-killed per the logs, " + atLimit + " at the memory limit with no log line, "
                        + nonOom + " with another exit (exit code, probe or back-off), " + unexplained + " unexplained"
                        + (replicaLimit.mostKilled() == null || replicaLimit.containers() < 2 ? "."
                        : "; the system log names container '" + replicaLimit.mostKilled() + "' as OOM-killed."), a));

        path.add("B");
        int samples = app.replicas().stream().mapToInt(ReplicaTimeline::workingSetSamples).sum();
        double peak = Double.NaN;
        for (ReplicaTimeline r : app.replicas()) {
            double p = r.peak(0, app.grid().size());
            if (!Double.isNaN(p) && (Double.isNaN(peak) || p > peak)) {
                peak = p;
            }
        }
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("memoryLimitBytes", limit);
        b.put("workingSetSamples", samples);
        b.put("workingSetAggregation", app.workingSetAggregation());
        b.put("grainSeconds", app.grid().stepSeconds());
        if (samples < MIN_WORKING_SET_SAMPLES || limit == null || limit <= 0) {
            String why = limit == null || limit <= 0 ? "the container's memory limit is unknown"
                    : samples == 0 ? "no WorkingSetBytes samples were gathered" : "only " + samples + " WorkingSetBytes samples";
            steps.add(new DecisionStep("B", "Are the memory limit and the working set known?", "No: " + why
                    + ", so growth toward the limit cannot be judged.", b));
            // No verdict on memory, so no confidence in one: never "not enough evidence · high confidence".
            double conf = 0;
            Figures f = new Figures(limit, nanToNull(peak), null, null, null, null, null, all.size(), oomKills, nonOom,
                    null, replicasSeen, maxReplicas, null, null, null, null);
            List<Diagnosis.Cause> causes = List.of();
            return new Diagnosis(Diagnosis.Verdict.INSUFFICIENT_EVIDENCE, path, conf, causes, f, steps,
                    Playbook.recommend(Diagnosis.Verdict.INSUFFICIENT_EVIDENCE, causes, bundle.app(), limit, runtime, null, null, null),
                    findings);
        }
        double peakToLimit = peak / limit;
        boolean[] anyAbove = new boolean[app.grid().size()];
        double threshold = PEAK_NEAR_LIMIT_FRACTION * limit;
        for (ReplicaTimeline r : app.replicas()) {
            double[] w = r.workingSetBytes();
            for (int i = 0; i < w.length; i++) {
                if (w[i] >= threshold) {
                    anyAbove[i] = true;
                }
            }
        }
        int above = 0;
        for (boolean x : anyAbove) {
            if (x) {
                above++;
            }
        }
        int aboveMinutes = (int) Math.round(above * app.grid().stepMinutes());
        b.put("peakWorkingSetBytes", Narrative.round(peak));
        b.put("peakToLimit", Narrative.round(peakToLimit));
        b.put("minutesAbove90PctOfLimit", aboveMinutes);
        steps.add(new DecisionStep("B", "What are the memory limit and the working set?",
                "Limit " + Narrative.mib(limit) + (replicaLimit.containers() > 1 ? " (the sum of the replica's "
                        + replicaLimit.containers() + " containers)" : "")
                        + (app.workingSetAggregation() != null && app.workingSetAggregation().startsWith(AppTimelines.MEMORY_PERCENTAGE)
                        ? "; WorkingSetBytes is missing, so the working set is MemoryPercentage × the limit" : "")
                        + "; the highest working set of any replica was " + Narrative.mib(peak) + " ("
                        + Narrative.pct(peakToLimit) + " of the limit); some replica was above 90% of the limit for "
                        + aboveMinutes + " min.", b));

        List<List<MemorySegment>> segments = new ArrayList<>();
        List<MemorySegment> open = new ArrayList<>();
        for (ReplicaTimeline r : app.replicas()) {
            if (r.workingSetSamples() == 0) {
                continue;
            }
            List<MemorySegment> segs = MemorySegments.of(r, restarts.byReplica().getOrDefault(r.name(), List.of()), app.grid(), limit);
            segments.add(segs);
            if (!segs.isEmpty() && !segs.get(segs.size() - 1).endsInRestart()) {
                open.add(segs.get(segs.size() - 1));
            }
        }
        GrowthPattern growth = GrowthPattern.of(segments);
        TrafficRelation traffic = TrafficRelation.of(app, restarts);

        int memoryKills = oomKills + atLimit;
        if (all.isEmpty() && restarts.unattributedOomLogs() == 0) {
            return earlyWarning(bundle, app, limit, peak, peakToLimit, aboveMinutes, growth, traffic, segments, open,
                    replicasSeen, maxReplicas, runtime, path, steps, findings);
        }
        path.add("C");
        // Without any restart, a blip of a few minutes near the limit is not memory growing toward it.
        boolean nearLimit = peakToLimit >= PEAK_NEAR_LIMIT_FRACTION && (!all.isEmpty() || aboveMinutes >= SUSTAINED_NEAR_LIMIT_MINUTES);
        boolean growsToLimit = memoryKills > 0 || nearLimit || growth.growing() > 0;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("memoryKills", memoryKills);
        c.put("peakToLimit", Narrative.round(peakToLimit));
        c.put("segmentsGrowingTowardLimit", growth.growing());
        c.put("segmentsMeasured", growth.segmentsMeasured());
        c.put("mannKendallZThreshold", GrowthPattern.Z_RISING);
        steps.add(new DecisionStep("C", "Does memory grow toward the limit?",
                growsToLimit ? "Yes: " + reasonsC(memoryKills, nearLimit, peakToLimit, growth.growing())
                        : "No: memory peaked at " + Narrative.pct(peakToLimit) + " of the limit, no restart shows OOM evidence and "
                        + "no segment between restarts grows significantly (Mann–Kendall Z ≥ " + GrowthPattern.Z_RISING + ").", c));

        Instant firstKill = all.stream().filter(RestartEvent::memoryRelated).map(RestartEvent::time).findFirst().orElse(null);
        RevisionInfo suspect = regressionSuspect(bundle, firstKill);
        if (suspect != null) {
            findings.add("Revision " + suspect.name() + " was created " + Narrative.time(suspect.createdAt())
                    + ", shortly before the first memory kill (" + Narrative.time(firstKill) + "): a regression is possible.");
        }
        if (!growsToLimit) {
            path.add("D");
            List<Diagnosis.Cause> causes = all.isEmpty() ? List.of() : List.of(Diagnosis.Cause.NON_MEMORY_CRASH);
            double headroom = clamp((PEAK_NEAR_LIMIT_FRACTION - peakToLimit) / 0.4);
            double exitShare = all.isEmpty() ? 1 : (1 + nonOom / (double) all.size()) / 2;
            double conf = clamp(Math.sqrt(headroom * exitShare));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("restarts", all.size());
            d.put("otherExits", nonOom);
            d.put("peakToLimit", Narrative.round(peakToLimit));
            steps.add(new DecisionStep("D", "What else ended the containers?", all.isEmpty()
                    ? "Nothing: there were no restarts and memory stayed below the limit; this is not a memory incident."
                    : nonOom + " of " + all.size() + " restart(s) have a non-memory exit in the logs (" + exitSummary(all)
                    + "); memory was not near the limit, so look for a crash, failed dependency or failing probe.", d));
            Figures f = figures(limit, peak, peakToLimit, aboveMinutes, growth, traffic, all.size(), oomKills, nonOom,
                    replicasSeen, maxReplicas, null, suspect);
            return new Diagnosis(Diagnosis.Verdict.OTHER_CRASH_CAUSE, path, conf, causes, f, steps,
                    Playbook.recommend(Diagnosis.Verdict.OTHER_CRASH_CAUSE, causes, bundle.app(), limit, runtime, peakToLimit, null, null),
                    findings);
        }

        path.add("E");
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("trafficCorrelation", Narrative.round(traffic.medianCorrelation()));
        e.put("replicasWithTraffic", traffic.replicasMeasured());
        e.put("segmentsGrowingWithTime", growth.leakLike());
        e.put("segmentsGrowingWithTraffic", growth.trafficDriven());
        e.put("medianPartialCorrelationWithTimeGivenTraffic", Narrative.round(growth.medianPartial()));
        steps.add(new DecisionStep("E", "How does the growth compare with traffic and time?", trafficAnswer(traffic, growth, app.hasRequests()), e));

        path.add("F");
        boolean anyRestart = !all.isEmpty();
        // Without a regrowth after a restart, growth with time in several segments still points to a
        // leak (replicas leaking from their own start), unless memory follows traffic: then a
        // restart refilled memory to the traffic's level at once, which is demand, not a leak.
        boolean followsTrafficOverall = traffic.medianCorrelation() >= FOLLOWS_TRAFFIC_RHO;
        boolean leak = growth.leakLike() > 0 && growth.leakLike() >= growth.trafficDriven()
                && (growth.regrowths() > 0 || !anyRestart
                || (growth.leakLike() >= 2 && growth.trafficDriven() == 0 && !followsTrafficOverall));
        Map<String, Object> fNums = new LinkedHashMap<>();
        fNums.put("regrowthsAfterRestart", growth.regrowths());
        fNums.put("segmentsGrowingWithTime", growth.leakLike());
        fNums.put("medianMannKendallZ", Narrative.round(growth.medianZ()));
        fNums.put("medianKendallTau", Narrative.round(growth.medianTau()));
        fNums.put("growthBytesPerHour", Narrative.round(growth.growthBytesPerHour()));
        steps.add(new DecisionStep("F", "Does memory reset after a restart and then grow again?", leak
                ? "Yes: " + (growth.regrowths() > 0 ? "after " + growth.regrowths() + " restart(s) memory dropped and climbed again; "
                : "no replica regrew after a restart, but memory does not follow traffic (Spearman ρ "
                + Narrative.num(traffic.medianCorrelation()) + " < " + FOLLOWS_TRAFFIC_RHO + ") and ") + growth.leakLike()
                + " segment(s) grew steadily with time (median Mann–Kendall Z " + Narrative.num(growth.medianZ()) + ", about "
                + Narrative.mib(growth.growthBytesPerHour()) + "/h) while traffic did not explain it."
                : "No: " + (growth.leakLike() == 0 ? "no segment grows steadily with time independent of traffic"
                : growth.leakLike() + " segment(s) grow with time but " + growth.trafficDriven() + " grow with traffic and memory "
                + (growth.regrowths() == 0 ? "never reset and regrew after a restart" : "regrowth is not the main pattern"))
                + "; memory follows demand or short spikes.", fNums));

        ScalePressure scale = ScalePressure.of(app, maxReplicas);
        if (leak) {
            path.add("G");
            path.add("I");
            List<MemorySegment> earlierGrowth = new ArrayList<>();
            for (List<MemorySegment> segs : segments) {
                for (MemorySegment seg : segs) {
                    if (seg.endsInRestart() && GrowthPattern.grows(seg) && GrowthPattern.steady(seg)) {
                        earlierGrowth.add(seg);
                    }
                }
            }
            OomProjection projection = OomProjection.of(app, open, earlierGrowth, limit);
            int bufferSignals = bufferSignals(bundle, app, segments);
            List<Diagnosis.Cause> causes = bufferSignals >= BUFFER_SIGNALS_NEEDED
                    ? List.of(Diagnosis.Cause.UNBOUNDED_BUFFERING, Diagnosis.Cause.APPLICATION_LEAK)
                    : List.of(Diagnosis.Cause.APPLICATION_LEAK, Diagnosis.Cause.UNBOUNDED_BUFFERING);
            double sig = 1 - RobustTrend.upperTail(growth.medianZ());
            double share = growth.leakLike() / (double) Math.max(1, growth.leakLike() + growth.trafficDriven());
            double conf = clamp(Math.pow(sig * share * (growth.regrowths() > 0 ? 1 : 0.6) * (memoryKills > 0 ? 1 : 0.7), 0.25));
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("bufferSignals", bufferSignals);
            g.put("bufferSignalsNeeded", BUFFER_SIGNALS_NEEDED);
            putProjection(g, projection);
            steps.add(new DecisionStep("G", "Leak or unbounded buffer?", (causes.get(0) == Diagnosis.Cause.UNBOUNDED_BUFFERING
                    ? "Unbounded buffering is the likelier form: " + bufferSignals + " of 4 buffering signals (a queue scale rule, backlog lines in the logs, served requests falling while memory rises, growth speeding up) agree (≥ " + BUFFER_SIGNALS_NEEDED + " needed)."
                    : "An application leak: memory grows with process age, not with the work arriving (" + bufferSignals
                    + " of 4 buffering signals, fewer than " + BUFFER_SIGNALS_NEEDED + ").")
                    + (projection == null ? "" : " Next OOM expected " + Narrative.range(projection) + " (" + projection.replica() + ")."), g));
            Figures f = figures(limit, peak, peakToLimit, aboveMinutes, growth, traffic, all.size(), oomKills, nonOom,
                    replicasSeen, maxReplicas, projection, suspect);
            return new Diagnosis(Diagnosis.Verdict.LEAK_SUSPECTED, path, conf, causes, f, steps,
                    Playbook.recommend(Diagnosis.Verdict.LEAK_SUSPECTED, causes, bundle.app(), limit, runtime, peakToLimit, scale, projection),
                    findings);
        }

        path.add("H");
        path.add("J");
        StartupSpikes startup = StartupSpikes.of(app, restarts);
        PeriodicSpikes periodic = PeriodicSpikes.of(app, restarts, limit);
        List<Diagnosis.Cause> causes = new ArrayList<>();
        double causeStrength;
        String causeText;
        // Start-up work and scheduled jobs do not follow traffic; kill loops under load do.
        boolean memoryFollowsTraffic = traffic.medianCorrelation() >= FOLLOWS_TRAFFIC_RHO;
        // Pinned at maxReplicas while memory is driven by load: more replicas would spread it.
        boolean tooFew = scale.pinned() && (scale.pinnedWithRisingLoad() || memoryFollowsTraffic);
        boolean startupDominant = startup.memoryKills() > 0 && startup.share() >= 0.5 && !memoryFollowsTraffic;
        boolean jobSpikes = periodic.periodic() && !memoryFollowsTraffic;
        if (tooFew) {
            causes.add(Diagnosis.Cause.TOO_FEW_REPLICAS);
            causeStrength = scale.pinnedShare();
            causeText = String.format(java.util.Locale.ROOT, "the app sat at maxReplicas=%d for %s of the window while %s "
                            + "(Spearman ρ with requests %s, threshold %s; requests per replica vs time ρ %s)",
                    maxReplicas, Narrative.pct(scale.pinnedShare()),
                    memoryFollowsTraffic ? "memory followed the load" : "the load per replica rose", Narrative.num(traffic.medianCorrelation()),
                    FOLLOWS_TRAFFIC_RHO, Narrative.num(scale.perReplicaLoadTrend()));
        } else if (startupDominant || jobSpikes) {
            causes.add(Diagnosis.Cause.STARTUP_OR_BACKGROUND_JOB);
            if (jobSpikes) {
                causeStrength = clamp(1 - periodic.intervalVariation());
                causeText = String.format(java.util.Locale.ROOT, "memory spikes every %.0f min (%d spikes, interval variation %.2f) over a flat baseline: a scheduled job",
                        periodic.periodMinutes(), periodic.spikes(), periodic.intervalVariation());
            } else {
                causeStrength = startup.share();
                causeText = startup.startupKills() + " of " + startup.memoryKills() + " memory kills came within "
                        + (int) StartupSpikes.STARTUP_WINDOW_MINUTES + " min of a container start at ordinary traffic (median "
                        + Narrative.num(startup.medianMinutesFromStart()) + " min)";
            }
        } else {
            causeStrength = Double.isNaN(traffic.medianCorrelation()) ? 0.5 : 0.5 + traffic.medianCorrelation() / 2;
            causeText = Double.isNaN(traffic.medianCorrelation()) ? "no Requests metric, so the demand behind the peak is not measured"
                    : memoryFollowsTraffic ? "memory follows traffic (Spearman ρ " + Narrative.num(traffic.medianCorrelation()) + " ≥ "
                    + FOLLOWS_TRAFFIC_RHO + ")"
                    : "memory reached the limit without a leak's pattern, but it does not clearly follow traffic (Spearman ρ "
                    + Narrative.num(traffic.medianCorrelation()) + " < " + FOLLOWS_TRAFFIC_RHO + "), so what drove the peak is not measured";
        }
        // Peak demand over the limit is always a cause here, after the deciding one when there is one.
        causes.add(Diagnosis.Cause.PEAK_DEMAND_OVER_LIMIT);
        if (causes.get(0) == Diagnosis.Cause.PEAK_DEMAND_OVER_LIMIT) {
            if (scale.pinned()) {
                causes.add(Diagnosis.Cause.TOO_FEW_REPLICAS);
            }
        }
        double closeness = clamp((peakToLimit - 0.8) / 0.2);
        double notLeak = 1 - growth.leakLike() / (double) Math.max(1, growth.growing());
        if (growth.regrowths() == 0 && memoryFollowsTraffic) {
            // Growth with time but no regrowth after any restart, while memory follows traffic: F
            // decided on the traffic correlation, so that is the strength of "not a leak".
            notLeak = Math.max(notLeak, 0.5 + traffic.medianCorrelation() / 2);
        }
        double conf = clamp(Math.cbrt(closeness * clamp(notLeak) * clamp(causeStrength)));
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("trafficCorrelation", Narrative.round(traffic.medianCorrelation()));
        h.put("followsTrafficThreshold", FOLLOWS_TRAFFIC_RHO);
        h.put("startupKills", startup.startupKills());
        h.put("memoryKills", startup.memoryKills());
        h.put("periodicSpikes", periodic.spikes());
        h.put("spikePeriodMinutes", Narrative.round(periodic.periodMinutes()));
        h.put("spikeIntervalVariation", Narrative.round(periodic.intervalVariation()));
        h.put("pinnedAtMaxReplicasShare", Narrative.round(scale.pinnedShare()));
        h.put("perReplicaLoadTrendRho", Narrative.round(scale.perReplicaLoadTrend()));
        steps.add(new DecisionStep("H", "What demand exceeds the limit?", "Peak demand: " + causeText + ".", h));
        Figures f = figures(limit, peak, peakToLimit, aboveMinutes, growth, traffic, all.size(), oomKills, nonOom,
                replicasSeen, maxReplicas, null, suspect);
        return new Diagnosis(Diagnosis.Verdict.PEAK_DEMAND, path, conf, causes, f, steps,
                Playbook.recommend(Diagnosis.Verdict.PEAK_DEMAND, causes, bundle.app(), limit, runtime, peakToLimit, scale, null),
                findings);
    }

    /**
     * The early-warning path: a memory alert with no restart in the window. Three shapes: a young
     * leak (a replica's working set grows significantly toward the limit, {@link GrowthPattern},
     * and memory does not follow traffic), a daily peak (memory follows traffic, ρ ≥
     * {@link #FOLLOWS_TRAFFIC_RHO}, and its crest reaches {@link #EARLY_NEAR_LIMIT} of the limit),
     * and an app sized tight (no growth, memory's median level ≥ {@link #SIZED_TIGHT_LEVEL} of the
     * limit): not a leak, not peak demand.
     */
    private static Diagnosis earlyWarning(EvidenceBundle bundle, AppTimelines app, long limit, double peak, double peakToLimit,
                                          int aboveMinutes, GrowthPattern growth, TrafficRelation traffic,
                                          List<List<MemorySegment>> segments, List<MemorySegment> open, int replicasSeen,
                                          Integer maxReplicas, RuntimeKind runtime, List<String> path, List<DecisionStep> steps,
                                          List<String> findings) {
        double rho = traffic.medianCorrelation();
        boolean follows = !Double.isNaN(rho) && rho >= FOLLOWS_TRAFFIC_RHO;
        // Leak-like growth excludes segments whose memory follows traffic beyond the common trend
        // (partial rank correlation, GrowthPattern.followsTraffic), so a young leak is told apart from
        // a window that happens to see traffic rise too.
        boolean leak = growth.leakLike() > 0 && growth.leakLike() >= growth.trafficDriven();
        double level = medianLevel(app) / limit;
        boolean crestNear = peakToLimit >= EARLY_NEAR_LIMIT;
        boolean dailyPeak = !leak && follows && crestNear;
        boolean tight = !leak && !dailyPeak && level >= SIZED_TIGHT_LEVEL;
        path.add("C");
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("restarts", 0);
        c.put("segmentsGrowingTowardLimit", growth.growing());
        c.put("medianMannKendallZ", Narrative.round(growth.medianZ()));
        c.put("mannKendallZThreshold", GrowthPattern.Z_RISING);
        c.put("peakToLimit", Narrative.round(peakToLimit));
        c.put("medianLevelToLimit", Narrative.round(level));
        c.put("nearLimitThreshold", EARLY_NEAR_LIMIT);
        steps.add(new DecisionStep("C", "Does memory grow toward the limit?", growth.growing() > 0
                ? "Yes, before any restart: " + growth.growing() + " replica(s) grow significantly toward the limit (Mann–Kendall Z ≥ "
                + GrowthPattern.Z_RISING + ")."
                : crestNear ? "No steady growth (no replica's trend reaches Mann–Kendall Z ≥ " + GrowthPattern.Z_RISING
                + "), but memory reached " + Narrative.pct(peakToLimit) + " of the limit (≥ " + Narrative.pct(EARLY_NEAR_LIMIT) + ") with no restart."
                : "No: no restart, no significant growth, and memory peaked at " + Narrative.pct(peakToLimit) + " of the limit (below "
                + Narrative.pct(EARLY_NEAR_LIMIT) + ").", c));
        Figures f = figures(limit, peak, peakToLimit, aboveMinutes, growth, traffic, 0, 0, 0, replicasSeen, maxReplicas, null, null);
        if (!leak && !dailyPeak) {
            path.add("D");
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("medianLevelToLimit", Narrative.round(level));
            d.put("sizedTightThreshold", SIZED_TIGHT_LEVEL);
            d.put("trafficCorrelation", Narrative.round(rho));
            steps.add(new DecisionStep("D", "What else is going on?", tight
                    ? "Memory sits flat near the limit: its median level is " + Narrative.pct(level) + " of the limit (≥ "
                    + Narrative.pct(SIZED_TIGHT_LEVEL) + "), with no significant growth and "
                    + (Double.isNaN(rho) ? "no Requests metric" : "no link to traffic (Spearman ρ " + Narrative.num(rho) + " < " + FOLLOWS_TRAFFIC_RHO + ")")
                    + ". The app is sized tight: this is neither a leak nor peak demand."
                    : "Nothing on memory: no restart, no significant growth, and memory's median level is " + Narrative.pct(level)
                    + " of the limit (below " + Narrative.pct(SIZED_TIGHT_LEVEL) + ").", d));
            double conf = clamp(tight ? Math.min(1, (level - 0.7) / 0.2) * (follows ? 0.5 : 1) : (SIZED_TIGHT_LEVEL - level) / 0.3 + 0.5);
            return new Diagnosis(Diagnosis.Verdict.OTHER_CRASH_CAUSE, path, conf, List.of(), f, steps,
                    Playbook.recommend(Diagnosis.Verdict.OTHER_CRASH_CAUSE, List.of(), bundle.app(), limit, runtime, peakToLimit,
                            null, null, tight), findings);
        }
        path.add("E");
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("trafficCorrelation", Narrative.round(rho));
        e.put("followsTrafficThreshold", FOLLOWS_TRAFFIC_RHO);
        e.put("segmentsGrowingWithTime", growth.leakLike());
        e.put("segmentsGrowingWithTraffic", growth.trafficDriven());
        steps.add(new DecisionStep("E", "Does memory grow with traffic or with time?", Double.isNaN(rho)
                ? "No Requests metric: growth is judged against time only."
                : follows ? "Memory follows traffic: Spearman ρ " + Narrative.num(rho) + " ≥ " + FOLLOWS_TRAFFIC_RHO + "."
                : "Memory does not follow traffic: Spearman ρ " + Narrative.num(rho) + " < " + FOLLOWS_TRAFFIC_RHO + "; "
                + growth.leakLike() + " replica(s) grow steadily with time.", e));
        path.add("F");
        Map<String, Object> fNums = new LinkedHashMap<>();
        fNums.put("restarts", 0);
        fNums.put("segmentsGrowingWithTime", growth.leakLike());
        steps.add(new DecisionStep("F", "Does memory reset after a restart and then grow again?", leak
                ? "No restart yet to show a reset; " + growth.leakLike() + " replica(s) climb steadily with time (median Mann–Kendall Z "
                + Narrative.num(growth.medianZ()) + ", about " + Narrative.mib(growth.growthBytesPerHour()) + "/h): a leak caught early."
                : "No restart yet; memory rises and falls with traffic rather than growing with time.", fNums));
        if (leak) {
            path.add("G");
            path.add("I");
            OomProjection projection = OomProjection.of(app, open, List.of(), limit);
            List<Diagnosis.Cause> causes = List.of(Diagnosis.Cause.APPLICATION_LEAK, Diagnosis.Cause.UNBOUNDED_BUFFERING);
            double conf = clamp(Math.sqrt((1 - RobustTrend.upperTail(growth.medianZ())) * (Double.isNaN(rho) ? 0.7 : 1 - Math.max(0, rho))));
            Map<String, Object> g = new LinkedHashMap<>();
            putProjection(g, projection);
            steps.add(new DecisionStep("G", "Leak or unbounded buffer?", "An application leak caught before its first OOM: memory grows with process age, not with traffic."
                    + (projection == null ? "" : " At the fitted trend the limit is reached " + Narrative.range(projection) + " (" + projection.replica() + ")."), g));
            Figures fl = figures(limit, peak, peakToLimit, aboveMinutes, growth, traffic, 0, 0, 0, replicasSeen, maxReplicas, projection, null);
            return new Diagnosis(Diagnosis.Verdict.LEAK_SUSPECTED, path, conf, causes, fl, steps,
                    Playbook.recommend(Diagnosis.Verdict.LEAK_SUSPECTED, causes, bundle.app(), limit, runtime, peakToLimit, null, projection),
                    findings);
        }
        path.add("H");
        path.add("J");
        DailyPeaks crests = DailyPeaks.of(app, limit);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("trafficCorrelation", Narrative.round(rho));
        h.put("followsTrafficThreshold", FOLLOWS_TRAFFIC_RHO);
        h.put("daysMeasured", crests.days());
        h.put("lastCrestToLimit", Narrative.round(crests.lastCrestToLimit()));
        h.put("crestChangePerDayToLimit", Narrative.round(crests.changePerDayToLimit()));
        h.put("nextCrestAt", crests.nextCrestAt() == null ? null : crests.nextCrestAt().toString());
        h.put("nextCrestToLimit", Narrative.round(crests.nextCrestToLimit()));
        String text = "Peak demand before any OOM: memory follows traffic (Spearman ρ " + Narrative.num(rho) + ") and reached "
                + Narrative.pct(peakToLimit) + " of the limit at its crest. ";
        if (crests.days() == 0) {
            text += "The window is shorter than a day, so the next daily crest cannot be placed.";
        } else {
            text += "Next daily crest expected about " + Narrative.time(crests.nextCrestAt()) + " at "
                    + Narrative.pct(crests.nextCrestToLimit()) + " of the limit"
                    + (crests.days() < 2 ? " if the day repeats (one day seen: no day-over-day change measurable)"
                    : " (range " + Narrative.pct(crests.nextCrestLowToLimit()) + "–" + Narrative.pct(crests.nextCrestHighToLimit())
                    + " from the day-over-day changes of " + crests.days() + " daily crests)")
                    + (crests.nextCrestHighToLimit() >= 1 ? ": it may exceed the limit." : ": below the limit.");
        }
        steps.add(new DecisionStep("H", "What demand exceeds the limit?", text, h));
        List<Diagnosis.Cause> causes = List.of(Diagnosis.Cause.PEAK_DEMAND_OVER_LIMIT);
        double conf = clamp(Math.sqrt(clamp((peakToLimit - 0.7) / 0.2) * (0.5 + rho / 2)));
        return new Diagnosis(Diagnosis.Verdict.PEAK_DEMAND, path, conf, causes, f, steps,
                Playbook.recommend(Diagnosis.Verdict.PEAK_DEMAND, causes, bundle.app(), limit, runtime, peakToLimit, null, null),
                findings);
    }

    private static void putProjection(Map<String, Object> numbers, OomProjection projection) {
        numbers.put("projectedOomEarliest", projection == null ? null : projection.earliest().toString());
        numbers.put("projectedOomLatest", projection == null || projection.latest() == null ? null : projection.latest().toString());
        numbers.put("projectedFromReplica", projection == null ? null : projection.replica());
    }

    /** The highest over replicas of each replica's median working set. */
    private static double medianLevel(AppTimelines app) {
        double best = Double.NaN;
        for (ReplicaTimeline r : app.replicas()) {
            double[] w = r.workingSetBytes();
            double[] v = new double[w.length];
            int n = 0;
            for (double x : w) {
                if (!Double.isNaN(x)) {
                    v[n++] = x;
                }
            }
            double m = TrafficRelation.median(v, n);
            if (!Double.isNaN(m) && (Double.isNaN(best) || m > best)) {
                best = m;
            }
        }
        return best;
    }

    private static String reasonsC(int memoryKills, boolean nearLimit, double peakToLimit, int growing) {
        List<String> r = new ArrayList<>();
        if (memoryKills > 0) {
            r.add(memoryKills + " restart(s) with OOM evidence");
        }
        if (nearLimit) {
            r.add("the working set peaked at " + Narrative.pct(peakToLimit) + " of the limit");
        }
        if (growing > 0) {
            r.add(growing + " segment(s) between restarts grow significantly toward the limit");
        }
        return String.join("; ", r) + ".";
    }

    private static String trafficAnswer(TrafficRelation t, GrowthPattern g, boolean hasRequests) {
        if (!hasRequests) {
            return "No Requests metric in the bundle: growth is judged against time only (" + g.growing()
                    + " growing segment(s)).";
        }
        String s = "Memory vs requests: median Spearman ρ " + Narrative.num(t.medianCorrelation()) + " over "
                + t.replicasMeasured() + " replica(s). ";
        s += g.leakLike() + " growing segment(s) keep growing with time when traffic is held fixed (partial ρ ≥ "
                + GrowthPattern.MIN_PARTIAL_TIME_RHO + " or traffic flat/falling); " + g.trafficDriven() + " grow with traffic.";
        return s;
    }

    private static String exitSummary(List<RestartEvent> all) {
        Map<String, Integer> codes = new LinkedHashMap<>();
        for (RestartEvent e : all) {
            String k = e.exitCode() != null ? "exit " + e.exitCode() : e.kind() == RestartEvent.Kind.NON_OOM_EXIT ? "probe/back-off" : "no log";
            codes.merge(k, 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        codes.forEach((k, v) -> parts.add(v + "× " + k));
        return String.join(", ", parts);
    }

    /**
     * Unbounded buffering rather than a leak, when at least {@link #BUFFER_SIGNALS_NEEDED} of four
     * independent signals agree: a scale rule on a queue or stream ({@link #QUEUE_SCALERS}), console lines about a backlog (at least {@link #BACKLOG_LINES}
     * lines naming a queue, backlog, buffer or pending work), served requests falling while memory
     * rises (median Spearman ρ of the growing segments ≤ −{@link #BACKLOG_RHO}, or the window's
     * served requests falling significantly, Mann–Kendall Z ≤ −{@link GrowthPattern#Z_RISING}), and growth that
     * speeds up as the backlog builds (median share of the rise reached halfway through a growing
     * segment below {@link #ACCELERATING_HALFWAY_SHARE}; steady growth is near 0.5). A keyword
     * alone never decides.
     */
    static int bufferSignals(EvidenceBundle bundle, AppTimelines app, List<List<MemorySegment>> segments) {
        int lines = 0;
        int backlogLines = 0;
        for (var l : bundle.consoleLogs()) {
            if (lines++ > 2000 || backlogLines >= BACKLOG_LINES) {
                break;
            }
            if (l.message() == null) {
                continue;
            }
            String m = l.message().toLowerCase(java.util.Locale.ROOT);
            if (m.contains("backlog") || m.contains("queue") || m.contains("buffer") || m.contains("pending")) {
                backlogLines++;
            }
        }
        double[] rhos = new double[64];
        double[] halves = new double[64];
        int n = 0;
        int nh = 0;
        for (List<MemorySegment> segs : segments) {
            for (MemorySegment s : segs) {
                if (!GrowthPattern.grows(s)) {
                    continue;
                }
                if (!Double.isNaN(s.rhoTraffic()) && n < rhos.length) {
                    rhos[n++] = s.rhoTraffic();
                }
                if (!Double.isNaN(s.halfwayRiseShare()) && nh < halves.length) {
                    halves[nh++] = s.halfwayRiseShare();
                }
            }
        }
        int signals = backlogLines >= BACKLOG_LINES ? 1 : 0;
        // The app scales on a queue: it takes work from a queue and can hold a backlog of it.
        if (bundle.app().scale() != null && bundle.app().scale().rules() != null) {
            signals += bundle.app().scale().rules().stream().anyMatch(r -> r.type() != null
                    && QUEUE_SCALERS.stream().anyMatch(q -> r.type().toLowerCase(java.util.Locale.ROOT).contains(q))) ? 1 : 0;
        }
        // Memory rising while served requests fall: work is piling up inside the process.
        boolean servedFalls = n > 0 && TrafficRelation.median(rhos, n) <= -BACKLOG_RHO
                || servedTrend(app).mannKendallZ() <= -GrowthPattern.Z_RISING;
        signals += servedFalls ? 1 : 0;
        signals += nh > 0 && TrafficRelation.median(halves, nh) < ACCELERATING_HALFWAY_SHARE ? 1 : 0;
        return signals;
    }

    /** The trend of the requests all replicas served, over the whole window. */
    static RobustTrend servedTrend(AppTimelines app) {
        double[] total = new double[app.grid().size()];
        java.util.Arrays.fill(total, Double.NaN);
        for (ReplicaTimeline r : app.replicas()) {
            double[] q = r.requests();
            if (q == null) {
                continue;
            }
            for (int i = 0; i < q.length; i++) {
                if (q[i] == q[i]) {
                    total[i] = total[i] != total[i] ? q[i] : total[i] + q[i];
                }
            }
        }
        return RobustTrend.of(total, 0, total.length, app.grid().stepMinutes());
    }

    private static RevisionInfo regressionSuspect(EvidenceBundle bundle, Instant firstKill) {
        if (firstKill == null) {
            return null;
        }
        RevisionInfo best = null;
        for (RevisionInfo r : bundle.app().revisions()) {
            if (r.createdAt() != null && r.createdAt().isBefore(firstKill)
                    && !r.createdAt().isBefore(firstKill.minus(REGRESSION_LOOKBACK))
                    && (best == null || r.createdAt().isAfter(best.createdAt()))) {
                best = r;
            }
        }
        return best;
    }

    private static Figures figures(long limit, double peak, double peakToLimit, int aboveMinutes, GrowthPattern g,
                                   TrafficRelation t, int restarts, int ooms, int nonOom, int replicas, Integer maxReplicas,
                                   OomProjection p, RevisionInfo suspect) {
        return new Figures(limit, nanToNull(peak), Narrative.round(peakToLimit), aboveMinutes,
                g.growing() == 0 ? null : Narrative.round(g.growthBytesPerHour()),
                Double.isNaN(g.medianTau()) ? null : Narrative.round(g.medianTau()),
                Narrative.round(t.medianCorrelation()), restarts, ooms, nonOom, g.regrowths(), replicas, maxReplicas,
                p == null ? null : p.earliest(), p == null ? null : p.latest(),
                suspect == null ? null : suspect.name(), suspect == null ? null : suspect.createdAt());
    }

    private static int count(List<RestartEvent> all, RestartEvent.Kind k) {
        return (int) all.stream().filter(e -> e.kind() == k).count();
    }

    private static Double nanToNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    static double clamp(double v) {
        if (Double.isNaN(v)) {
            return 0.5;
        }
        return Math.round(Math.max(0.05, Math.min(0.99, v)) * 1000) / 1000.0;
    }

}
