package io.oomresponder.diagnosis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Flowchart node H (then J, raise memory / scale out / reduce footprint): what demand exceeds the
 * limit? After restarts: {@link Diagnosis.Cause#TOO_FEW_REPLICAS} when the app sat at maxReplicas
 * while memory was driven by load ({@link ScalePressure}); {@link Diagnosis.Cause#STARTUP_OR_BACKGROUND_JOB}
 * when memory does not follow traffic and start-up kills dominate ({@link StartupSpikes}) or memory
 * spikes regularly ({@link PeriodicSpikes}); peak demand over the limit always follows. Before any
 * restart: a daily peak, with the next crest projected ({@link DailyPeaks}).
 *
 * <p>Confidence: the geometric mean of how close the peak came to the limit ((peak/limit − 0.8)/0.2),
 * the strength of "not a leak" and the strength of the deciding cause.
 */
final class PeakDemandNode {

    private PeakDemandNode() {
    }

    static Conclusion decide(RestartsNode.Outcome a, WorkingSetNode.Outcome b, MemoryGrowth m, GrowthVsTrafficNode.Outcome e,
                              DiagnosisThresholds t) {
        AppTimelines app = a.app();
        GrowthPattern growth = m.growth();
        TrafficRelation traffic = m.traffic();
        Integer maxReplicas = a.maxReplicas();
        ScalePressure scale = ScalePressure.of(app, maxReplicas);
        StartupSpikes startup = StartupSpikes.of(app, a.restarts());
        PeriodicSpikes periodic = PeriodicSpikes.of(app, a.restarts(), a.limit(), t);
        List<Diagnosis.Cause> causes = new ArrayList<>();
        double causeStrength;
        String causeText;
        // Start-up work and scheduled jobs do not follow traffic; kill loops under load do.
        boolean memoryFollowsTraffic = e.followsTraffic();
        // Pinned at maxReplicas while memory is driven by load: more replicas would spread it.
        boolean tooFew = scale.pinned(t) && (scale.pinnedWithRisingLoad(t) || memoryFollowsTraffic);
        boolean startupDominant = startup.memoryKills() > 0 && startup.share() >= 0.5 && !memoryFollowsTraffic;
        boolean jobSpikes = periodic.periodic(t) && !memoryFollowsTraffic;
        if (tooFew) {
            causes.add(Diagnosis.Cause.TOO_FEW_REPLICAS);
            causeStrength = scale.pinnedShare();
            causeText = String.format(Locale.ROOT, "the app sat at maxReplicas=%d for %s of the window while %s "
                            + "(Spearman ρ with requests %s, threshold %s; requests per replica vs time ρ %s)",
                    maxReplicas, Narrative.pct(scale.pinnedShare()),
                    memoryFollowsTraffic ? "memory followed the load" : "the load per replica rose", Narrative.num(traffic.medianCorrelation()),
                    t.followsTrafficRho(), Narrative.num(scale.perReplicaLoadTrend()));
        } else if (startupDominant || jobSpikes) {
            causes.add(Diagnosis.Cause.STARTUP_OR_BACKGROUND_JOB);
            if (jobSpikes) {
                causeStrength = Conclusion.clamp(1 - periodic.intervalVariation());
                causeText = String.format(Locale.ROOT, "memory spikes every %.0f min (%d spikes, interval variation %.2f) over a flat baseline: a scheduled job",
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
                    : memoryFollowsTraffic ? "memory follows traffic (Spearman ρ " + Narrative.num(traffic.medianCorrelation(), t.followsTrafficRho()) + " ≥ "
                    + t.followsTrafficRho() + ")"
                    : "memory reached the limit without a leak's pattern, but it does not clearly follow traffic (Spearman ρ "
                    + Narrative.num(traffic.medianCorrelation(), t.followsTrafficRho()) + " < " + t.followsTrafficRho()
                    + "), so what drove the peak is not measured";
        }
        // Peak demand over the limit is always a cause here, after the deciding one when there is one.
        causes.add(Diagnosis.Cause.PEAK_DEMAND_OVER_LIMIT);
        if (causes.get(0) == Diagnosis.Cause.PEAK_DEMAND_OVER_LIMIT) {
            if (scale.pinned(t)) {
                causes.add(Diagnosis.Cause.TOO_FEW_REPLICAS);
            }
        }
        double closeness = Conclusion.clamp((b.peakToLimit() - 0.8) / 0.2);
        double notLeak = 1 - growth.leakLike() / (double) Math.max(1, growth.growing());
        if (growth.regrowths() == 0 && memoryFollowsTraffic) {
            // Growth with time but no regrowth after any restart, while memory follows traffic: F
            // decided on the traffic correlation, so that is the strength of "not a leak".
            notLeak = Math.max(notLeak, 0.5 + traffic.medianCorrelation() / 2);
        }
        double conf = Conclusion.clamp(Math.cbrt(closeness * Conclusion.clamp(notLeak) * Conclusion.clamp(causeStrength)));
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("trafficCorrelation", Narrative.round(traffic.medianCorrelation()));
        h.put("followsTrafficThreshold", t.followsTrafficRho());
        h.put("startupKills", startup.startupKills());
        h.put("memoryKills", startup.memoryKills());
        h.put("periodicSpikes", periodic.spikes());
        h.put("spikePeriodMinutes", Narrative.round(periodic.periodMinutes()));
        h.put("spikeIntervalVariation", Narrative.round(periodic.intervalVariation()));
        h.put("pinnedAtMaxReplicasShare", Narrative.round(scale.pinnedShare()));
        h.put("perReplicaLoadTrendRho", Narrative.round(scale.perReplicaLoadTrend()));
        DecisionStep step = new DecisionStep("H", "What demand exceeds the limit?", "Peak demand: " + causeText + ".", h);
        return new Conclusion(step, Diagnosis.Verdict.PEAK_DEMAND, causes, conf, null, scale, false);
    }

    /** A daily peak before any OOM: memory follows traffic and its crest nears the limit. */
    static Conclusion early(RestartsNode.Outcome a, WorkingSetNode.Outcome b, GrowthVsTrafficNode.Outcome e, DiagnosisThresholds t) {
        double rho = e.rho();
        double peakToLimit = b.peakToLimit();
        DailyPeaks crests = DailyPeaks.of(a.app(), a.limit());
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("trafficCorrelation", Narrative.round(rho));
        h.put("followsTrafficThreshold", t.followsTrafficRho());
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
        DecisionStep step = new DecisionStep("H", "What demand exceeds the limit?", text, h);
        double conf = Conclusion.clamp(Math.sqrt(Conclusion.clamp((peakToLimit - 0.7) / 0.2) * (0.5 + rho / 2)));
        return new Conclusion(step, Diagnosis.Verdict.PEAK_DEMAND, List.of(Diagnosis.Cause.PEAK_DEMAND_OVER_LIMIT), conf, null, null, false);
    }
}
